/**
 * The closed set of error codes every shell shows to a person, each with an
 * Indonesian and an English message. Services throw `AppError`; shells print or
 * render `messageFor(code, lang)`.
 */
export const errorMessages = {
  INPUT_INVALID: {
    id: 'Data yang dikirim tidak valid.',
    en: 'The submitted data is not valid.',
  },
  TOKEN_EMPTY: {
    id: 'Token belum diisi. Salin token dari AMS lalu tekan "(1) Paste >>".',
    en: 'No token yet. Copy the token from AMS, then press "(1) Paste >>".',
  },
  TOKEN_MALFORMED: {
    id: 'Token tidak dikenali formatnya. Salin ulang token dari AMS dengan tombol "Salin Token".',
    en: 'This does not look like a token. Copy it again from AMS with the "Copy Token" button.',
  },
  TOKEN_UNKNOWN: {
    id: 'Token tidak ditemukan di AMS. Periksa bahwa token disalin utuh dan dari permohonan metode LOCK.',
    en: 'AMS does not know this token. Check that it was copied whole and comes from a LOCK request.',
  },
  TOKEN_EXPIRED: {
    id: 'Token sudah kedaluwarsa. Buat permohonan baru di AMS untuk mendapatkan token baru.',
    en: 'The token has expired. Make a new request in AMS to get a new token.',
  },
  TOKEN_ALREADY_USED: {
    id: 'CSR untuk token ini sudah pernah dikirim. Setiap token hanya dapat dipakai satu kali.',
    en: 'A CSR has already been sent for this token. Each token can be used only once.',
  },
  PASSWORD_WEAK: {
    id: 'Kekuatan password harus lebih dari 50%: minimal 8 karakter, campuran huruf besar, huruf kecil, angka dan simbol.',
    en: 'Password strength must be above 50%: at least 8 characters mixing upper and lower case, digits and symbols.',
  },
  PASSWORD_MISMATCH: {
    id: 'Konfirmasi password tidak sama.',
    en: 'The confirmation does not match the password.',
  },
  KEY_PASSWORD_INCORRECT: {
    id: 'Password kunci salah. Masukkan password yang dipilih saat kunci dibuat.',
    en: 'Wrong key password. Enter the password chosen when the key was made.',
  },
  KEY_PASSWORD_NEEDED: {
    id: 'File kunci ini terenkripsi: isi "Password kunci (jika terenkripsi)" (di CLI: --key-password-file dengan file berisi password kunci).',
    en: 'This key file is encrypted: fill in "Key password (if encrypted)" (in the CLI: --key-password-file with a file holding the key password).',
  },
  KEY_MISSING: {
    id: 'File kunci untuk permintaan ini tidak ditemukan di komputer ini.',
    en: 'The key file for this request is not on this computer.',
  },
  EXISTING_KEY_IN_FILE: {
    id: 'Kunci untuk token ini sudah dibuat sebelumnya dan disimpan sebagai file di komputer ini. Jawab "No" pada pertanyaan USB Token lalu masukkan password kunci tersebut.',
    en: 'A key for this token was already made and kept as a file on this computer. Answer "No" to the USB token question and enter that key’s password.',
  },
  EXISTING_KEY_ON_TOKEN: {
    id: 'Kunci untuk token ini sudah dibuat sebelumnya di USB Token. Pasang token tersebut dan jawab "Yes" pada pertanyaan USB Token.',
    en: 'A key for this token was already made on a USB token. Insert that token and answer "Yes" to the USB token question.',
  },
  PKCS11_LIBRARY_LOAD_FAILED: {
    id: 'Driver token (pustaka PKCS#11) tidak dapat dimuat. Pastikan driver token terpasang dan cocok dengan sistem (32/64-bit), lalu pilih file driver yang benar.',
    en: 'The token driver (PKCS#11 library) cannot be loaded. Check that the token driver is installed and matches the system (32/64-bit), then choose the right driver file.',
  },
  PKCS11_NO_TOKEN: {
    id: 'Tidak ada USB token yang terdeteksi. Pasang token Anda lalu coba lagi.',
    en: 'No USB token detected. Insert your token and try again.',
  },
  PKCS11_TOKEN_NOT_FOUND: {
    id: 'Token yang dipilih tidak terpasang lagi. Pasang kembali token tersebut lalu coba lagi.',
    en: 'The chosen token is no longer inserted. Insert it again and try again.',
  },
  PKCS11_TOKEN_REMOVED: {
    id: 'Token dicabut atau terputus saat proses berjalan. Pasang kembali token lalu ulangi; token AMS Anda belum terpakai.',
    en: 'The token was removed or disconnected during the operation. Insert it again and retry; your AMS token has not been used up.',
  },
  PKCS11_PIN_INCORRECT: {
    id: 'PIN token salah. Periksa PIN lalu coba lagi.',
    en: 'Wrong token PIN. Check the PIN and try again.',
  },
  PKCS11_PIN_NEARLY_LOCKED: {
    id: 'PIN token salah, dan token hampir terkunci: sisa percobaan tinggal sedikit. Pastikan PIN benar sebelum mencoba lagi.',
    en: 'Wrong token PIN, and the token is nearly locked: only a few attempts remain. Make sure the PIN is right before trying again.',
  },
  PKCS11_PIN_FINAL_TRY: {
    id: 'Ini percobaan PIN terakhir: PIN yang salah akan mengunci token. Konfirmasi untuk melanjutkan.',
    en: 'This is the last PIN attempt: a wrong PIN will lock the token. Confirm to continue.',
  },
  PKCS11_PIN_LOCKED: {
    id: 'PIN token terkunci. Hubungi admin instansi Anda untuk membuka kunci token (dengan PIN SO/PUK).',
    en: 'The token PIN is locked. Ask your institution’s administrator to unlock the token (with the SO PIN/PUK).',
  },
  PKCS11_PIN_MUST_CHANGE: {
    id: 'Token meminta PIN diganti sebelum dipakai. Masukkan PIN baru.',
    en: 'The token requires a new PIN before use. Enter a new PIN.',
  },
  PKCS11_PIN_INVALID: {
    id: 'PIN tidak memenuhi aturan token (panjang atau karakter).',
    en: 'The PIN does not meet the token’s rules (length or characters).',
  },
  PKCS11_TOKEN_FULL: {
    id: 'Memori token penuh. Hapus kunci atau sertifikat lama yang tidak dipakai dengan aplikasi token, lalu coba lagi.',
    en: 'The token’s memory is full. Remove old unused keys or certificates with the token’s own tool, then try again.',
  },
  PKCS11_MECHANISM_UNSUPPORTED: {
    id: 'Token ini tidak mendukung pembangkitan atau tanda tangan kunci RSA yang diperlukan.',
    en: 'This token does not support the RSA key generation or signing required.',
  },
  PKCS11_TOKEN_WRITE_PROTECTED: {
    id: 'Token dalam mode hanya-baca (write protected).',
    en: 'The token is write-protected.',
  },
  PKCS11_KEY_NOT_FOUND: {
    id: 'Kunci untuk permintaan ini tidak ditemukan di token yang terpasang. Pasang token yang dipakai saat membuat permintaan.',
    en: 'The key for this request is not on any inserted token. Insert the token used when the request was made.',
  },
  PKCS11_CANCELLED: {
    id: 'Operasi token dibatalkan.',
    en: 'The token operation was cancelled.',
  },
  PKCS11_DRIVER_NOT_ALLOWED: {
    id: 'Driver token hanya dapat dipilih dari daftar driver yang ditemukan atau melalui tombol Telusuri.',
    en: 'A token driver can only be chosen from the drivers found or with the Browse button.',
  },
  PKCS11_ERROR: {
    id: 'Token melaporkan kesalahan.',
    en: 'The token reported an error.',
  },
  CERT_NOT_ISSUED: {
    id: 'Sertifikat belum terbit untuk permintaan ini. Lihat status dan catatan verifikator.',
    en: 'No certificate has been issued for this request yet. See its status and the verifier’s note.',
  },
  CERT_KEY_MISMATCH: {
    id: 'Sertifikat tidak cocok dengan kunci privat. Tidak ada file yang ditulis.',
    en: 'The certificate does not match the private key. Nothing was written.',
  },
  CERT_CHAIN_INVALID: {
    id: 'Sertifikat tidak dapat diverifikasi sampai ke CA root dengan rantai CA dari AMS. Tidak ada yang ditulis; hubungi admin AMS.',
    en: 'The certificate does not verify up to the root CA with the CA chain from AMS. Nothing was written; contact the AMS administrator.',
  },
  // Said by AMS when the certificate is fetched, or by the CA's OCSP/CRL when it is checked before use.
  CERT_REVOKED: {
    id: 'Sertifikat ini sudah dicabut (revoke), menurut AMS atau layanan pencabutan CA (OCSP/CRL). Tidak ada yang ditulis; ajukan permohonan baru di AMS.',
    en: 'This certificate has been revoked, as AMS or the CA’s revocation service (OCSP/CRL) says. Nothing was written; make a new request in AMS.',
  },
  // The Download tab's "Hapus dari token": only a certificate no longer in use may go.
  CERT_STILL_IN_USE: {
    id: 'Sertifikat ini masih berlaku dan merupakan sertifikat aktif untuk kuncinya; sertifikat ini tidak dihapus. Hanya sertifikat yang sudah diganti, dicabut atau kedaluwarsa yang dapat dihapus dari token.',
    en: 'This certificate is still valid and is the current one for its key; it was not removed. Only a certificate that was replaced, revoked or has expired can be removed from the token.',
  },
  CERT_NOT_ON_TOKEN: {
    id: 'Sertifikat tersebut tidak ada lagi di token ini. Muat ulang daftar sertifikat token.',
    en: 'That certificate is no longer on this token. Reload the token’s certificate list.',
  },
  CERT_INVALID: {
    id: 'File sertifikat rusak atau formatnya tidak didukung (gunakan PEM atau DER: .pem, .crt, .cer).',
    en: 'The certificate file is damaged or in an unsupported format (use PEM or DER: .pem, .crt, .cer).',
  },
  KEY_INVALID: {
    id: 'File kunci privat rusak atau formatnya tidak didukung (gunakan PEM atau PKCS#8, terenkripsi atau tidak).',
    en: 'The private key file is damaged or in an unsupported format (use PEM or PKCS#8, encrypted or not).',
  },
  KEY_ON_TOKEN: {
    id: 'Kunci ini tersimpan di USB token dan tidak dapat dikeluarkan, jadi tidak dapat dibundel ke .p12. Sertifikatnya sudah tersimpan di token.',
    en: 'This key is on a USB token and cannot leave it, so it cannot be bundled into a .p12. Its certificate is already on the token.',
  },
  SECRET_FILE_EMPTY: {
    id: 'File rahasia kosong: baris pertamanya tidak berisi apa pun. Tulis token, password atau PIN pada baris pertama file itu.',
    en: 'The secret file is empty: its first line holds nothing. Put the token, password or PIN on the first line of that file.',
  },
  FILE_EXISTS: {
    id: 'File tujuan sudah ada. Pilih nama lain; file yang ada tidak ditimpa.',
    en: 'The target file already exists. Choose another name; the existing file is not replaced.',
  },
  TOKEN_NEEDED: {
    id: 'Token AMS untuk permintaan ini tidak tersimpan di komputer ini. Tempel token dari AMS pada kolom di atas.',
    en: 'This request’s AMS token is not kept on this computer. Paste the token from AMS in the field above.',
  },
  CSR_REJECTED: {
    id: 'AMS menolak CSR.',
    en: 'AMS refused the CSR.',
  },
  SERVER_UNREACHABLE: {
    id: 'Server AMS tidak dapat dihubungi. Periksa koneksi lalu coba lagi; kunci dan token Anda tetap aman.',
    en: 'The AMS server cannot be reached. Check the connection and try again; your key and token are safe.',
  },
  SERVER_UNTRUSTED: {
    id: 'Sertifikat server AMS tidak dipercaya komputer ini, jadi sambungan dihentikan. Periksa alamat server di Pengaturan. Jika jaringan kantor memeriksa HTTPS, minta admin TI memasang CA kantor dan aktifkan "Percayai sertifikat CA sistem operasi"; jika tidak, jangan lanjutkan di jaringan ini. Kunci dan token Anda tetap aman.',
    en: 'The AMS server\'s certificate is not trusted by this computer, so the connection was stopped. Check the server address in Settings. If your office network inspects HTTPS, ask IT to install the office CA and turn on "Trust the operating system\'s CA certificates"; otherwise, do not continue on this network. Your key and token are safe.',
  },
  SERVER_CERT_TIME: {
    id: 'Menurut tanggal dan jam komputer ini, sertifikat server AMS belum berlaku atau sudah kedaluwarsa, jadi sambungan dihentikan. Periksa tanggal, jam dan zona waktu komputer, lalu coba lagi; jika sudah benar, hubungi admin TI. Kunci dan token Anda tetap aman.',
    en: 'By this computer\'s date and time, the AMS server\'s certificate is not yet valid or has expired, so the connection was stopped. Check the computer\'s date, time and time zone, then try again; if they are right, contact IT. Your key and token are safe.',
  },
  SERVER_TIMEOUT: {
    id: 'Server AMS tidak menjawab tepat waktu. Coba lagi nanti; kunci dan token Anda tetap aman.',
    en: 'The AMS server did not answer in time. Try again later; your key and token are safe.',
  },
  SERVER_BAD_RESPONSE: {
    id: 'Jawaban server AMS tidak dapat dibaca. Coba lagi nanti atau hubungi admin.',
    en: 'The AMS server sent an answer that cannot be read. Try again later or contact support.',
  },
  SERVER_ERROR: {
    id: 'Server AMS sedang bermasalah. Coba lagi nanti; kunci dan token Anda tetap aman.',
    en: 'The AMS server has a problem. Try again later; your key and token are safe.',
  },
  REQUEST_NOT_FOUND: {
    id: 'Permintaan tidak ditemukan di komputer ini.',
    en: 'No such request on this computer.',
  },
  REQUEST_IN_PROGRESS: {
    id: 'Permintaan untuk token ini sedang dibuat oleh jendela atau perintah LOCK Desktop lain. Tunggu sebentar lalu coba lagi; token Anda belum terpakai.',
    en: 'Another LOCK Desktop window or command is making the request for this token right now. Wait a moment and try again; your token has not been used up.',
  },
  REQUEST_BUSY: {
    id: 'Permintaan ini sedang diproses oleh jendela atau perintah LOCK Desktop lain (CSR-nya sedang dikirim ke AMS, atau permintaan ini sedang dibuang). Tunggu sebentar lalu coba lagi; tidak ada yang diubah.',
    en: 'Another LOCK Desktop window or command is working on this request right now (sending its CSR to AMS, or discarding it). Wait a moment and try again; nothing was changed.',
  },
  MOCK_LISTEN_FAILED: {
    id: 'AMS tiruan tidak dapat berjalan di alamat ini: port-nya dipakai program lain atau tidak diizinkan, atau host-nya tidak dikenal. Pilih --port lain (0 untuk port bebas) atau --host lain.',
    en: 'The mock AMS cannot run at this address: its port is taken by another program or not permitted, or its host is unknown. Choose another --port (0 for any free port) or --host.',
  },
  CONFIRMATION_NEEDED: {
    id: 'Perintah ini bertanya dulu sebelum mengubah apa pun, tetapi tidak ada terminal untuk menjawabnya (skrip atau masukan dialihkan). Tambahkan --yes bila memang dimaksud; tidak ada yang diubah.',
    en: 'This command asks before it changes anything, but there is no terminal to answer it (a script or redirected input). Add --yes if that is what you mean; nothing was changed.',
  },
  URL_NOT_ALLOWED: {
    id: 'Alamat ini tidak dibuka: aplikasi hanya membuka halaman server AMS yang dipakai.',
    en: 'This address was not opened: the app only opens pages of the AMS server in use.',
  },
  DISCARD_NOT_ALLOWED: {
    id: 'Permintaan ini tidak dapat dibuang: AMS sudah menerima CSR-nya, jadi kuncinya masih diperlukan untuk sertifikat.',
    en: 'This request cannot be discarded: AMS already holds its CSR, so its key is still needed for the certificate.',
  },
  LEDGER_DAMAGED: {
    id: 'Catatan permintaan di komputer ini rusak dan telah disisihkan; aplikasi melanjutkan dengan catatan baru. Simpan file yang disisihkan untuk admin.',
    en: 'This computer’s request records were damaged and have been set aside; the app continues with fresh records. Keep the set-aside file for support.',
  },
  LEDGER_BUSY: {
    id: 'Catatan permintaan sedang dipakai proses LOCK Desktop lain (jendela lain atau CLI) dan tidak dilepas dalam 20 detik. Tutup proses itu, lalu coba lagi; tidak ada yang diubah.',
    en: 'The request records are held by another LOCK Desktop process (another window or the CLI) and were not released within 20 seconds. Close it and try again; nothing was changed.',
  },
  SETTINGS_DAMAGED: {
    id: 'File pengaturan rusak dan telah disisihkan; pengaturan kembali ke bawaan.',
    en: 'The settings file was damaged and has been set aside; settings are back to their defaults.',
  },
  SERVER_URL_INVALID: {
    id: 'Alamat server AMS tidak valid. Gunakan bentuk http(s)://host[:port].',
    en: 'The AMS server address is not valid. Use the form http(s)://host[:port].',
  },
  CLIPBOARD_EMPTY: {
    id: 'Clipboard kosong. Salin token dari AMS terlebih dahulu.',
    en: 'The clipboard is empty. Copy the token from AMS first.',
  },
  DEMO_UNAVAILABLE: {
    id: 'Permintaan demo hanya tersedia dengan server AMS tiruan (mock).',
    en: 'Demo requests are only available with the embedded mock AMS.',
  },
  ADMIN_KEY_INVALID: {
    id: 'Kunci admin salah.',
    en: 'Wrong admin key.',
  },
  USER_UNKNOWN: {
    id: 'Pengguna tidak ditemukan di AMS.',
    en: 'No such user in AMS.',
  },
  FILE_READ_FAILED: {
    id: 'File tidak dapat dibaca.',
    en: 'The file cannot be read.',
  },
  OUTPUT_DIR_NOT_ALLOWED: {
    id: 'Folder tujuan hanya dapat dipilih melalui dialog folder, atau kembali ke folder bawaan.',
    en: 'The output folder can only be chosen with the folder dialog, or set back to the default.',
  },
  FILE_TOO_LARGE: {
    id: 'File terlalu besar; file ini tidak dibaca.',
    en: 'The file is too large; it was not read.',
  },
  PASSWORD_TOO_LONG: {
    id: 'Password terlalu panjang (maksimal 1024 karakter).',
    en: 'The password is too long (at most 1024 characters).',
  },
  FILE_WRITE_FAILED: {
    id: 'File tidak dapat ditulis. Periksa folder tujuan (ada, benar-benar folder, dan boleh ditulisi), panjang nama file, dan ruang disk; tidak ada file setengah jadi yang tertinggal.',
    en: 'The file cannot be written. Check the target folder (that it exists, is a folder and may be written to), the length of the file name, and the disk space; no partial file was left behind.',
  },
  MOCK_STATE_DAMAGED: {
    id: 'Data mock AMS rusak dan disisihkan; mock AMS mulai lagi dengan data awal.',
    en: 'The mock AMS data was damaged and has been set aside; the mock AMS starts again from its initial data.',
  },
  INTERNAL: {
    id: 'Terjadi kesalahan internal. Coba lagi; jika berulang, hubungi admin.',
    en: 'Something went wrong inside the app. Try again; if it repeats, contact support.',
  },
} as const satisfies Record<string, { id: string; en: string }>;

export type ErrorCode = keyof typeof errorMessages;
export const errorCodes = Object.keys(errorMessages) as [ErrorCode, ...ErrorCode[]];
export type Lang = 'id' | 'en';

/** Serializable shape of an error as it crosses IPC, HTTP or a CLI line. */
export interface ErrorData {
  code: ErrorCode;
  /** Extra detail for the person (server note, OS reason); never a secret. */
  detail?: string;
}

/** Marks an AppError made by any copy of this module (below). */
const APP_ERROR = Symbol.for('lock-desktop.AppError');

export class AppError extends Error {
  /**
   * `instanceof AppError` holds for an AppError from any copy of this module:
   * the built CLI keeps a command's rarely used parts (the ledger, the AMS
   * client) in files of their own, each bundled with its own copy.
   */
  /** Marks this class itself, in any copy; a subclass inherits it but does not own it. */
  static readonly [APP_ERROR] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass (there is none today) is asked the usual way, by its prototype chain.
    if (!Object.hasOwn(this, APP_ERROR)) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [APP_ERROR]?: unknown })[APP_ERROR] === true;
  }

  get [APP_ERROR](): true {
    return true;
  }

  readonly code: ErrorCode;
  readonly detail: string | undefined;
  /** true: the user can fix it (bad token, weak password); false: a bug or an outage. */
  readonly expected: boolean;

  constructor(code: ErrorCode, options: { detail?: string; cause?: unknown; expected?: boolean } = {}) {
    super(`${code}: ${errorMessages[code].en}${options.detail ? ` (${options.detail})` : ''}`, {
      cause: options.cause,
    });
    this.name = 'AppError';
    this.code = code;
    this.detail = options.detail;
    this.expected = options.expected ?? code !== 'INTERNAL';
  }

  toData(): ErrorData {
    return this.detail === undefined ? { code: this.code } : { code: this.code, detail: this.detail };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorMessages, value);
}

export function messageFor(error: ErrorData, lang: Lang): string {
  const base = errorMessages[error.code][lang];
  return error.detail ? `${base} (${error.detail})` : base;
}

/** Indonesian first, English after: the form used on CLI lines and logs. */
export function bilingualMessage(error: ErrorData): string {
  return `${messageFor(error, 'id')} / ${messageFor(error, 'en')}`;
}
