/**
 * What people actually choose: the most common passwords in Indonesian and
 * English leaks, and the words and names they are built from. Lower case;
 * the strength estimate also matches them capitalised and in l33t (p@ssw0rd).
 * Small on purpose: a few KB in the renderer, not zxcvbn's 800 KB.
 */
const common = `password passw0rd pass qwerty admin administrator root user login welcome letmein iloveyou monkey dragon
master sunshine princess football baseball shadow superman batman trustno1 starwars whatever freedom secret
default changeme test testing guest hello abc123 lovely flower
rahasia sandi katasandi kata rahasiaku bismillah alhamdulillah insyaallah sayang sayangku cinta cintaku aku kamu
indonesia merdeka garuda pancasila bangsa negara bersatu persib persija arema jancuk anjing kucing
pegawai kantor instansi dinas kementerian asn pns polri tni bsre bssn lemsaneg sandi negara amanah
semangat sukses berhasil bahagia rezeki barokah`;

const words = `jakarta bandung surabaya medan semarang makassar palembang yogyakarta jogja depok bekasi tangerang bogor malang
denpasar bali batam pekanbaru padang manado ambon jayapura kupang mataram pontianak banjarmasin samarinda balikpapan
selatan utara barat timur pusat tengah raya kota kabupaten provinsi
january february march april may june july august september october november december
januari februari maret mei juni juli agustus oktober desember
monday tuesday wednesday thursday friday saturday sunday senin selasa rabu kamis jumat sabtu minggu
summer winter spring autumn
love baby angel honey family friend money happy lucky computer internet google facebook instagram
ganteng cantik manis keluarga anak ibu bapak ayah mama papa teman sahabat rumah kerja uang`;

const names = `muhammad mohammad ahmad ahmed abdul abdullah rizki rizky rizal reza putra putri dewi siti nurul aisyah fatimah
budi agus andi andri eko dian dwi tri sri wahyu hendra hendro joko bambang slamet rina rini ayu fitri indah ratna
maman yogi yanto yusuf ilham ikhsan irfan fajar fikri galih gilang hadi hari heru imam indra iwan jaya kurnia lestari
lukman made mega nanda novi nugroho nurhayati oki putu ratih rudi sari setiawan sinta sugiarto susanti taufik teguh
tono wati wulan yuli yulia yudi zainal
john james robert michael william david richard joseph thomas charles daniel matthew anthony mark paul steven andrew
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa michelle ashley jordan taylor`;

const toSet = (text: string) => new Set(text.split(/\s+/).filter(Boolean));

export const COMMON_PASSWORDS: ReadonlySet<string> = toSet(common);
export const WORDS: ReadonlySet<string> = toSet(words);
export const NAMES: ReadonlySet<string> = toSet(names);
