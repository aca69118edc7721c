import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThanOrEqual, MoreThanOrEqual, Repository, And } from 'typeorm';
import { Certificate } from './certification.entity.js';

/** What the behaviour evaluation of a certificate needs to know about it (ADR 0040). */
export interface CertificateEvaluationFact {
  id: string;
  number: string;
  userId: string;
  holderName: string;
  issuedAt: Date;
  schemeId: string;
  schemeCode: string;
  schemeTitle: string;
  /** The scheme's `evaluationDays`, or null for the default. */
  evaluationDays: number | null;
  /** The competencies it attests, with their titles as issued. */
  competencies: { code: string; title: string }[];
}

const fact = (c: Certificate): CertificateEvaluationFact => ({
  id: c.id,
  number: c.number ?? '',
  userId: c.userId,
  holderName: c.holderName,
  issuedAt: c.issuedAt,
  schemeId: c.schemeId,
  schemeCode: c.snapshot.schemeCode,
  schemeTitle: c.snapshot.schemeTitle,
  evaluationDays: c.scheme?.evaluationDays ?? null,
  competencies: c.snapshot.competencies.map(({ code, title }) => ({ code, title })),
});

/** Reads certificates for the development domain's questionnaires. */
@Injectable()
export class CertificateEvaluationFacts {
  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
  ) {}

  /** Active certificates issued between `from` and `to` (inclusive), oldest first. */
  async activeIssuedBetween(from: Date, to: Date): Promise<CertificateEvaluationFact[]> {
    const rows = await this.certificates.find({
      where: { status: 'active', issuedAt: And(MoreThanOrEqual(from), LessThanOrEqual(to)) },
      relations: { scheme: true },
      order: { issuedAt: 'ASC', id: 'ASC' },
    });
    return rows.map(fact);
  }

  /** The certificates of these ids (any status), keyed by id. */
  async byIds(ids: string[]): Promise<Map<string, CertificateEvaluationFact>> {
    const unique = [...new Set(ids)];
    const facts = new Map<string, CertificateEvaluationFact>();
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.certificates.find({
        where: { id: In(unique.slice(i, i + 500)) },
        relations: { scheme: true },
      });
      for (const row of rows) facts.set(row.id, fact(row));
    }
    return facts;
  }
}
