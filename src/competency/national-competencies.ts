import type { CompetencyType, LevelDescriptor } from './competency.entity.js';

export interface CompetencyDefinition {
  code: string;
  title: string;
  description: string;
  type: CompetencyType;
  sector: string | null;
  levels: LevelDescriptor[];
}

const levels = (...entries: [string, string[]][]): LevelDescriptor[] =>
  entries.map(([description, indicators], i) => ({ level: i + 1, description, indicators }));

/**
 * The national managerial and socio-cultural competencies of the ASN position competency
 * standard, with their five levels. Installed by the core at boot (missing codes only).
 */
export const NATIONAL_COMPETENCIES: CompetencyDefinition[] = [
  {
    code: 'M.1',
    title: 'Integritas',
    type: 'manajerial',
    sector: null,
    description:
      'Konsisten berperilaku selaras dengan nilai, norma, dan etika organisasi; jujur dalam hubungan dengan pimpinan, rekan kerja, bawahan, dan pemangku kepentingan; bertanggung jawab atas tindakan dan keputusan beserta risikonya.',
    levels: levels(
      [
        'Mampu bertindak sesuai nilai, norma, dan etika organisasi dalam kapasitas pribadi.',
        [
          'Bertingkah laku sesuai dengan perkataan dan berkata sesuai fakta.',
          'Melaksanakan peraturan dan kode etik organisasi dalam pekerjaan sehari-hari.',
        ],
      ],
      [
        'Mampu mengingatkan dan mengajak rekan kerja untuk bertindak sesuai nilai, norma, dan etika organisasi.',
        [
          'Mengingatkan rekan kerja agar bertindak sesuai nilai dan etika organisasi.',
          'Bertindak konsisten dengan tujuan organisasi.',
        ],
      ],
      [
        'Mampu memastikan dan menanamkan keyakinan bersama agar anggota yang dipimpin bertindak sesuai nilai, norma, dan etika organisasi dalam lingkup formal.',
        [
          'Memastikan anggota tim bertindak sesuai nilai dan etika organisasi.',
          'Memberi apresiasi dan teguran agar tindakan tim selaras dengan etika organisasi.',
        ],
      ],
      [
        'Mampu menciptakan situasi kerja yang membuat rekan kerja dan bawahan patuh pada nilai, norma, dan etika organisasi dalam segala situasi.',
        [
          'Mempromosikan dan mengajak orang lain melaksanakan nilai dan etika organisasi.',
          'Mendukung tindakan yang beretika walaupun berisiko bagi diri sendiri.',
        ],
      ],
      [
        'Mampu menjadi teladan dan agen perubahan dalam keteguhan melaksanakan nilai, norma, dan etika organisasi.',
        [
          'Menciptakan budaya kerja yang beretika tinggi.',
          'Menjadi panutan dalam menjalankan nilai dan etika organisasi.',
        ],
      ],
    ),
  },
  {
    code: 'M.2',
    title: 'Kerja Sama',
    type: 'manajerial',
    sector: null,
    description:
      'Kemampuan menjalin, membina, dan mempertahankan hubungan kerja yang efektif, berkomitmen saling membantu, dan membangun sinergi antarunit maupun antarinstansi.',
    levels: levels(
      [
        'Berpartisipasi sebagai anggota tim yang baik, melakukan tugas bagiannya, dan mendukung keputusan tim.',
        [
          'Menyelesaikan tugas bagiannya tepat waktu.',
          'Berbagi informasi yang relevan dengan anggota tim.',
        ],
      ],
      [
        'Menumbuhkan tim kerja yang partisipatif dan efektif.',
        [
          'Membantu anggota tim lain yang membutuhkan.',
          'Menghargai masukan dan keahlian anggota tim.',
        ],
      ],
      [
        'Efektif membangun tim kerja untuk peningkatan kinerja organisasi.',
        [
          'Melibatkan anggota tim dalam perencanaan dan pengambilan keputusan.',
          'Membangun komitmen tim terhadap tujuan bersama.',
        ],
      ],
      [
        'Membangun komitmen tim dan sinergi lintas unit.',
        [
          'Membangun sinergi dengan unit kerja lain untuk tujuan organisasi.',
          'Menyelesaikan konflik antarunit secara konstruktif.',
        ],
      ],
      [
        'Menciptakan situasi kerja sama yang baik lintas instansi dan pemangku kepentingan.',
        [
          'Membangun jejaring kerja sama dengan instansi dan pihak eksternal.',
          'Menjadi teladan kolaborasi pada tingkat organisasi.',
        ],
      ],
    ),
  },
  {
    code: 'M.3',
    title: 'Komunikasi',
    type: 'manajerial',
    sector: null,
    description:
      'Kemampuan menerangkan pandangan dan gagasan secara jelas, sistematis, dan meyakinkan, disertai argumentasi yang logis, serta mendengarkan dengan aktif.',
    levels: levels(
      [
        'Menyampaikan informasi dengan jelas, lengkap, dan mudah dipahami secara lisan dan tertulis.',
        [
          'Menggunakan bahasa yang sopan dan mudah dipahami.',
          'Mendengarkan dan mengajukan pertanyaan untuk memastikan pemahaman.',
        ],
      ],
      [
        'Aktif menjalankan komunikasi secara formal dan informal, bersedia mendengarkan orang lain.',
        [
          'Menyesuaikan cara penyampaian dengan lawan bicara.',
          'Memberi umpan balik yang jelas kepada rekan kerja.',
        ],
      ],
      [
        'Berkomunikasi secara asertif, terampil berkomunikasi lisan dan tertulis untuk menyampaikan informasi yang sensitif atau kompleks.',
        [
          'Menyampaikan informasi yang kompleks secara ringkas dan terstruktur.',
          'Menyusun naskah dinas yang tepat sasaran.',
        ],
      ],
      [
        'Mampu mengemukakan pemikiran multidimensi secara lisan dan tertulis untuk mendorong kesepakatan.',
        [
          'Meyakinkan pemangku kepentingan dengan argumentasi yang kuat.',
          'Memfasilitasi diskusi untuk mencapai kesepakatan.',
        ],
      ],
      [
        'Menggagas sistem komunikasi yang terbuka secara strategis untuk mencari solusi dan meningkatkan kinerja.',
        [
          'Membangun saluran komunikasi organisasi yang efektif.',
          'Menjadi juru bicara organisasi pada isu-isu strategis.',
        ],
      ],
    ),
  },
  {
    code: 'M.4',
    title: 'Orientasi pada Hasil',
    type: 'manajerial',
    sector: null,
    description:
      'Kemampuan mempertahankan komitmen pribadi yang tinggi untuk menyelesaikan tugas, dapat diandalkan, bertanggung jawab, dan mampu mengidentifikasi risiko serta peluang untuk hasil yang terbaik.',
    levels: levels(
      [
        'Bertanggung jawab untuk memenuhi standar kerja.',
        [
          'Menyelesaikan pekerjaan sesuai standar dan tenggat.',
          'Memeriksa kembali hasil kerja sebelum diserahkan.',
        ],
      ],
      [
        'Berupaya meningkatkan hasil kerja pribadi yang lebih tinggi dari standar.',
        [
          'Menetapkan target kerja pribadi yang menantang.',
          'Mencari cara kerja yang lebih efisien.',
        ],
      ],
      [
        'Menetapkan target kerja yang menantang bagi unit kerja dan memberi apresiasi atas pencapaian.',
        [
          'Memantau capaian kinerja unit secara berkala.',
          'Memberi apresiasi dan teguran untuk mendorong kinerja.',
        ],
      ],
      [
        'Mendorong unit kerja mencapai target yang ditetapkan atau melebihi hasil kerja sebelumnya.',
        [
          'Menggunakan data kinerja untuk perbaikan berkelanjutan.',
          'Mengelola risiko yang dapat menghambat pencapaian target.',
        ],
      ],
      [
        'Meningkatkan mutu pencapaian kerja organisasi.',
        [
          'Menetapkan sasaran strategis yang berdampak bagi masyarakat.',
          'Membangun budaya kinerja tinggi di organisasi.',
        ],
      ],
    ),
  },
  {
    code: 'M.5',
    title: 'Pelayanan Publik',
    type: 'manajerial',
    sector: null,
    description:
      'Kemampuan melaksanakan tugas pemerintahan, pembangunan, dan kegiatan pemenuhan kebutuhan pelayanan publik secara profesional, transparan, dan mengikuti standar pelayanan yang objektif, netral, dan tidak memihak.',
    levels: levels(
      [
        'Menjalankan pelayanan sesuai standar yang ditetapkan dengan ramah dan sopan.',
        [
          'Menerima dan menanggapi pengguna layanan dengan santun.',
          'Memberikan informasi layanan yang benar dan jelas.',
        ],
      ],
      [
        'Mampu mengupayakan pelayanan yang memuaskan pengguna layanan.',
        [
          'Menindaklanjuti keluhan pengguna layanan dengan cepat.',
          'Menunjukkan sikap netral dan tidak memihak.',
        ],
      ],
      [
        'Mampu memanfaatkan kekuatan kelompok dan memperbaiki standar pelayanan.',
        [
          'Menganalisis keluhan untuk memperbaiki prosedur layanan.',
          'Mengoordinasikan unit terkait demi layanan yang lebih baik.',
        ],
      ],
      [
        'Mampu memonitor, mengevaluasi, dan mengantisipasi dampak isu-isu jangka panjang pada pelayanan publik.',
        [
          'Menyusun kebijakan pelayanan berdasarkan survei kepuasan.',
          'Mengantisipasi kebutuhan layanan masyarakat di masa depan.',
        ],
      ],
      [
        'Mampu menciptakan kebijakan pelayanan publik yang menjamin transparansi dan akuntabilitas.',
        [
          'Membangun sistem pelayanan yang terbuka dan akuntabel.',
          'Menjadi teladan budaya melayani di tingkat daerah.',
        ],
      ],
    ),
  },
  {
    code: 'M.6',
    title: 'Pengembangan Diri dan Orang Lain',
    type: 'manajerial',
    sector: null,
    description:
      'Kemampuan meningkatkan pengetahuan dan menyempurnakan keterampilan diri; menginspirasi orang lain untuk mengembangkan dan menyempurnakan pengetahuan dan keterampilan yang relevan dengan pekerjaan.',
    levels: levels(
      [
        'Pengembangan diri: mengidentifikasi kebutuhan belajar dan mengikuti pelatihan.',
        [
          'Mengikuti pelatihan sesuai kebutuhan jabatan.',
          'Menerapkan hasil belajar dalam pekerjaan.',
        ],
      ],
      [
        'Meningkatkan kemampuan bawahan dengan memberi contoh dan penjelasan.',
        [
          'Berbagi pengetahuan dengan rekan kerja.',
          'Memberi contoh cara mengerjakan tugas dengan benar.',
        ],
      ],
      [
        'Memberikan umpan balik dan membimbing pengembangan bawahan.',
        [
          'Melakukan pembimbingan (coaching) secara berkala.',
          'Menyusun rencana pengembangan bagi anggota tim.',
        ],
      ],
      [
        'Menyusun program pengembangan jangka panjang untuk mendorong pembelajaran.',
        [
          'Merancang program pengembangan kompetensi unit.',
          'Mendorong budaya belajar di unit kerja.',
        ],
      ],
      [
        'Menciptakan situasi yang mendorong organisasi mengembangkan kemampuan belajar secara berkelanjutan.',
        ['Membangun sistem manajemen talenta organisasi.', 'Menjadi mentor bagi calon pemimpin.'],
      ],
    ),
  },
  {
    code: 'M.7',
    title: 'Mengelola Perubahan',
    type: 'manajerial',
    sector: null,
    description:
      'Kemampuan menyesuaikan diri dengan situasi baru atau perubahan dan tidak bergantung secara berlebihan pada metode dan proses lama, serta mengambil tindakan untuk mendukung dan melaksanakan inisiatif perubahan.',
    levels: levels(
      [
        'Mengikuti perubahan dengan arahan.',
        [
          'Menyesuaikan cara kerja dengan kebijakan baru.',
          'Mempelajari sistem atau aplikasi baru yang diterapkan.',
        ],
      ],
      [
        'Proaktif beradaptasi mengikuti perubahan.',
        [
          'Mencari informasi tentang perubahan yang akan terjadi.',
          'Mengusulkan cara menyesuaikan pekerjaan dengan perubahan.',
        ],
      ],
      [
        'Membantu orang lain mengikuti perubahan dan mengantisipasi dampaknya.',
        [
          'Menjelaskan alasan dan manfaat perubahan kepada tim.',
          'Mengelola hambatan pelaksanaan perubahan di unit.',
        ],
      ],
      [
        'Memimpin perubahan pada unit kerja.',
        [
          'Menyusun rencana perubahan dan tahap pelaksanaannya.',
          'Memantau dan mengevaluasi hasil perubahan.',
        ],
      ],
      [
        'Memimpin, menggerakkan, dan mengevaluasi perubahan secara melembaga.',
        ['Merumuskan strategi perubahan organisasi.', 'Membangun budaya organisasi yang adaptif.'],
      ],
    ),
  },
  {
    code: 'M.8',
    title: 'Pengambilan Keputusan',
    type: 'manajerial',
    sector: null,
    description:
      'Kemampuan membuat keputusan yang baik secara tepat waktu dan dengan keyakinan diri setelah mempertimbangkan prinsip kehati-hatian, dirumuskan secara sistematis dan seksama berdasarkan berbagai informasi, alternatif pemecahan masalah, dan konsekuensinya.',
    levels: levels(
      [
        'Mengumpulkan informasi untuk bertindak sesuai kewenangannya.',
        [
          'Mengumpulkan data yang relevan sebelum bertindak.',
          'Mengambil keputusan rutin sesuai prosedur.',
        ],
      ],
      [
        'Menganalisis masalah secara mendalam.',
        [
          'Mengidentifikasi akar masalah dengan data.',
          'Menimbang beberapa alternatif penyelesaian.',
        ],
      ],
      [
        'Membandingkan berbagai alternatif dan menyeimbangkan risiko keberhasilan dalam implementasi.',
        [
          'Memilih alternatif dengan mempertimbangkan risiko dan manfaat.',
          'Mengambil keputusan tepat waktu meski informasi terbatas.',
        ],
      ],
      [
        'Menyelesaikan masalah yang mengandung risiko tinggi, mengantisipasi dampak keputusan.',
        [
          'Mengambil keputusan strategis untuk unit kerja.',
          'Menyiapkan langkah mitigasi atas dampak keputusan.',
        ],
      ],
      [
        'Menghasilkan solusi dan mengambil keputusan untuk mengatasi permasalahan jangka panjang organisasi.',
        [
          'Mengambil keputusan strategis berdampak luas bagi daerah.',
          'Membangun sistem pengambilan keputusan berbasis data.',
        ],
      ],
    ),
  },
  {
    code: 'SK.1',
    title: 'Perekat Bangsa',
    type: 'sosial-kultural',
    sector: null,
    description:
      'Kemampuan mempromosikan sikap toleransi, keterbukaan, peka terhadap perbedaan individu dan kelompok masyarakat; mampu menjadi perpanjangan tangan pemerintah dalam mempersatukan masyarakat dan membangun hubungan sosial psikologis dengan masyarakat di tengah kemajemukan Indonesia.',
    levels: levels(
      [
        'Peduli, menghargai, dan menghormati keberagaman budaya, agama, dan latar belakang orang lain.',
        [
          'Bersikap hormat kepada semua pengguna layanan tanpa membedakan.',
          'Tidak menyebarkan ujaran yang merendahkan kelompok lain.',
        ],
      ],
      [
        'Aktif mengembangkan sikap saling menghargai dan menekankan persamaan dan persatuan.',
        [
          'Mengajak rekan kerja bekerja sama tanpa memandang perbedaan.',
          'Menengahi perbedaan pendapat secara santun.',
        ],
      ],
      [
        'Mempromosikan, mengembangkan sikap toleransi dan persatuan dalam lingkup unit kerja.',
        [
          'Mendorong kegiatan yang mempererat persatuan di unit kerja.',
          'Menyelesaikan konflik berlatar perbedaan secara adil.',
        ],
      ],
      [
        'Mendayagunakan perbedaan secara konstruktif dan kreatif untuk meningkatkan efektivitas organisasi.',
        [
          'Memanfaatkan keragaman tim untuk solusi yang lebih baik.',
          'Membangun hubungan baik dengan tokoh dan kelompok masyarakat.',
        ],
      ],
      [
        'Wakil pemerintah untuk membangun hubungan sosial psikologis dengan masyarakat sehingga tercipta kelekatan yang kuat antara ASN dan masyarakat.',
        [
          'Menjadi perekat persatuan masyarakat di wilayahnya.',
          'Merumuskan kebijakan yang menghargai kemajemukan.',
        ],
      ],
    ),
  },
];
