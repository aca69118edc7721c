import { Inject, Injectable } from '@nestjs/common';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { MeService } from '../auth/me.service.js';
import type { ExportedFile } from '../http/table-export.js';
import { TableExports } from '../http/table-exports.service.js';
import { wallClock } from '../i18n/local-format.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { PersonalDataSections, table, type PersonalDataPart } from './personal-data.js';

const README_HEAD = `DATA PRIBADI ANDA — Sertifikasi ASN

Berkas ini berisi data pribadi Anda yang disimpan aplikasi Sertifikasi ASN, diunduh oleh
Anda sendiri sesuai hak subjek data pribadi (UU No. 27 Tahun 2022 tentang Pelindungan Data
Pribadi, Pasal 7 dan 13). Isinya hanya data Anda, sebagaimana Anda melihatnya di aplikasi:
kunci jawaban ujian hanya disertakan bila kebijakan tinjauan ujian sudah mengizinkan Anda
melihatnya.

Setiap bagian ada sebagai JSON (untuk dibaca mesin) dan, bila berbentuk tabel, sebagai CSV
(dibuka dengan Excel: pemisah titik koma, NIP dan kode tetap sebagai teks). Waktu di JSON
dalam UTC (ISO 8601); tanggal di CSV menurut zona waktu kota.

Berkas:
`;

/**
 * The caller's own data as a ZIP of JSON and CSV (ADR 0038): the profile, then each
 * domain's registered section, the notifications and what the audit log says about them.
 */
@Injectable()
export class PersonalExport {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sections: PersonalDataSections,
    private readonly me: MeService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly exports: TableExports,
  ) {}

  async build(person: AuthUser, ip?: string | null): Promise<ExportedFile> {
    const profile = await this.me.get(person);
    const parts: PersonalDataPart[] = [
      {
        file: 'profil',
        describes: 'identitas Anda: NIP, nama, surel, peran, sektor, jabatan dan unit kerja',
        json: profile,
      },
    ];
    for (const section of this.sections.all()) parts.push(...(await section.collect(person)));
    parts.push(await this.notificationsOf(person), await this.logOf(person));

    const files: Zippable = {};
    const lines: string[] = [];
    for (const part of parts) {
      files[`${part.file}.json`] = strToU8(JSON.stringify(part.json, null, 2));
      lines.push(`- ${part.file}.json: ${part.describes}`);
      for (const t of part.tables ?? []) {
        const csv = await this.exports.write(t.file, t.rows, t.columns, 'csv', ';');
        files[csv.filename] = new Uint8Array(csv.body);
        lines.push(`- ${csv.filename}: tabel yang sama dengan ${part.file}.json`);
      }
    }
    const day = wallClock(new Date(), this.config.timeZone).slice(0, 10);
    files['README.txt'] = strToU8(
      `${README_HEAD}${lines.join('\n')}\n\nDibuat: ${day}\n`.replace(/\n/g, '\r\n'),
    );
    await this.audit.record({
      actor: { id: person.id, role: person.role },
      action: 'self.export',
      entityType: 'user',
      entityId: person.id,
      detail: { files: Object.keys(files).length },
      ip: ip ?? null,
    });
    return {
      body: Buffer.from(zipSync(files, { level: 6 })),
      contentType: 'application/zip',
      filename: `data-saya-${profile.nip ?? person.id}-${day}.zip`,
    };
  }

  private async notificationsOf(person: AuthUser): Promise<PersonalDataPart> {
    const { items } = await this.notifications.mine(person, 200);
    return {
      file: 'notifikasi',
      describes: 'pemberitahuan yang dikirim kepada Anda (200 terbaru)',
      json: items,
      tables: [
        table('notifikasi', items, [
          { header: 'Waktu', kind: 'datetime', value: (n) => n.createdAt },
          { header: 'Jenis', kind: 'text', value: (n) => n.kind },
          { header: 'Judul', kind: 'text', value: (n) => n.title },
          { header: 'Isi', kind: 'text', value: (n) => n.body },
          { header: 'Dibaca', kind: 'text', value: (n) => (n.read ? 'Ya' : 'Tidak') },
        ]),
      ],
    };
  }

  private async logOf(person: AuthUser): Promise<PersonalDataPart> {
    const entries = await this.audit.aboutPerson(person.id);
    return {
      file: 'log-aktivitas',
      describes:
        'catatan log audit tentang Anda: masuk, keluar, ganti sandi, dan perubahan akun Anda oleh admin (tanpa identitas petugas)',
      json: entries,
      tables: [
        table('log-aktivitas', entries, [
          { header: 'Waktu', kind: 'datetime', value: (e) => e.at },
          { header: 'Tindakan', kind: 'text', value: (e) => e.action },
          { header: 'Oleh', kind: 'text', value: (e) => e.by },
          { header: 'Alamat IP', kind: 'text', value: (e) => e.ip },
        ]),
      ],
    };
  }
}
