export const USAGE = `Usage: lock-desktop [--data-dir DIR] [--lang id|en] <command> [options]

Commands:
  mock-ams serve [--port N] [--host ADDR] [--auto-approve]   run the mock AMS
  mock-ams mint-token --server URL --email EMAIL [--product NAME]
  mock-ams approve|reject --server URL --request ID [--note TEXT]
  mock-ams settings --server URL [--[no-]auto-approve] [--[no-]enrollment-fails]
  mock-ams faults --server URL [--latency-ms N] [--server-errors N] [--garbage N] [--drop-after-csr N]
  mock-ams clock --server URL --days N                       move the mock's clock (H-30, expiry)
  mock-ams revoke --server URL --serial HEX [--reason keyCompromise|...]
  mock-ams expire-token --server URL --request ID
  mock-ams create-user --server URL --user-file FILE.json
  mock-ams requests --server URL
  mock-ams reset --server URL
           (every mock-ams command but serve: --admin-key-file FILE or env LOCK_ADMIN_KEY)
  show     --server URL --token-file FILE [--json]           employee data (Lanjutkan)
  request  --server URL --token-file FILE --key-store file --password-file FILE
  request  --server URL --token-file FILE --key-store pkcs11 --module LIBRARY
           [--token-label LABEL] --pin-file FILE              generate the key, send the CSR
  tokens   [--module LIBRARY] [--json]                        USB tokens present
  download --server URL --token-file FILE --out DIR (--password-file FILE | --pin-file FILE [--module LIBRARY])
                                                              the issued certificate: .pem + .p12, or onto the token
  bundle-p12 --cert FILE --key FILE [--key-password-file FILE] --out FILE.p12 --password-file FILE [--modern]
  status   --server URL --token-file FILE [--json]           request status in AMS
  discard  --server URL --token-file FILE [--yes] [--json]   discard an unsent request (key lost or password
                                                              forgotten) so the token can start over; never one AMS holds

Network: --proxy URL reaches AMS through a proxy; without it HTTPS_PROXY / HTTP_PROXY are used
unless NO_PROXY names the host. HTTPS to AMS trusts the OS certificate store as well as Node's own.
Secrets never go on the command line: --token-file - reads the CSR token from standard input.
Exit status 0 on success; otherwise one line on stderr: CODE: message.`;
