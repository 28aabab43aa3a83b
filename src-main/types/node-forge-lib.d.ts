// node-forge's own modules, loaded one by one (src-main/services/forge-asn1.ts); each adds its part to the shared forge object.
declare module 'node-forge/lib/forge' {
  import forge from 'node-forge';
  export default forge;
}
declare module 'node-forge/lib/asn1';
declare module 'node-forge/lib/pem';
