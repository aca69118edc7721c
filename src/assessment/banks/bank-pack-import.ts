import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { JsonObject } from '../../database/columns.js';
import { TransactionService } from '../../database/transaction.service.js';
import { type PackImportContext, type PackImporter, checksum } from '../../registry/pack-import.js';
import type { InterchangeQuestion } from '../interchange/gift.js';
import { questionMeta } from '../interchange/tags.js';
import { ensureCategoryPath } from './categories.js';
import {
  Question,
  QuestionBank,
  QuestionCategory,
  QuestionVersion,
} from './question-bank.entity.js';

/** A question bank as a sector's pack (`banks.json`) names it. */
export interface PackBank {
  name: string;
}

/** A question of a pack's bank (from its GIFT file), with the code of the bank it belongs to. */
export type PackQuestion = InterchangeQuestion & { bank: string };

/** Installs a pack's question banks (see `PackImporter`). */
@Injectable()
export class BankPackImport implements PackImporter<PackBank> {
  readonly kind = 'bank';

  constructor(private readonly transactions: TransactionService) {}

  async write(b: PackBank, { sector, now }: PackImportContext, entityId: string | null) {
    const repo = this.transactions.repository(QuestionBank);
    if (entityId) {
      await repo.update({ id: entityId }, { name: b.name, updatedAt: now });
      return entityId;
    }
    const row = repo.create({
      sector,
      name: b.name,
      description: '',
      createdAt: now,
      updatedAt: now,
    });
    await repo.insert(row);
    return row.id;
  }

  async recordHash(id: string, { sector }: PackImportContext): Promise<string> {
    const b = await this.transactions.repository(QuestionBank).findOneBy({ id });
    return checksum(b && { name: b.name, sector: b.sector === sector });
  }

  /** A bank stays: its questions were shown in attempts. */
  async archive(): Promise<void> {}
}

/** Installs a pack's questions into their banks (see `PackImporter`). */
@Injectable()
export class QuestionPackImport implements PackImporter<PackQuestion> {
  readonly kind = 'question';

  constructor(private readonly transactions: TransactionService) {}

  async write(q: PackQuestion, { now, ref }: PackImportContext, entityId: string | null) {
    const bankId = ref('bank', q.bank);
    const meta = questionMeta(q.tags);
    const categoryId = q.category
      ? await ensureCategoryPath(this.transactions.repository(QuestionCategory), bankId, q.category)
      : null;
    const questions = this.transactions.repository(Question);
    // An idnumber a coordinator already gave another question of the bank stays theirs.
    const wanted = q.idnumber?.slice(0, 100) || null;
    const holder = wanted && (await questions.findOneBy({ bankId, idnumber: wanted }));
    const fields = {
      name: q.name.slice(0, 200),
      idnumber: holder && holder.id !== entityId ? null : wanted,
      categoryId,
      competencyCode: meta.competencyCode,
      competencyLevel: meta.competencyLevel,
      difficulty: meta.difficulty,
      tags: meta.tags,
      updatedAt: now,
    };
    const content = {
      stem: q.stem,
      definition: q.definition as JsonObject,
      points: q.points ?? 1,
      generalFeedback: q.generalFeedback,
    };
    const versions = this.transactions.repository(QuestionVersion);
    const newVersion = (questionId: string, version: number) =>
      versions.save(
        versions.create({
          questionId,
          version,
          ...content,
          usedAt: null,
          createdBy: null,
          createdAt: now,
        }),
      );
    if (entityId) {
      const question = (await questions.findOneBy({ id: entityId }))!;
      // Same rule as the editor: a version an attempt has shown is never changed. The
      // conditional UPDATE is the check, so a start that marks the version used between
      // a read and this write wins, and the pack's text becomes a new version instead.
      const inPlace =
        (
          await versions.update(
            { questionId: entityId, version: question.currentVersion, usedAt: IsNull() },
            content as never,
          )
        ).affected === 1;
      if (inPlace) {
        await questions.update({ id: entityId }, fields);
      } else {
        await newVersion(entityId, question.currentVersion + 1);
        await questions.update(
          { id: entityId },
          { ...fields, currentVersion: question.currentVersion + 1 },
        );
      }
      return entityId;
    }
    const question = questions.create({
      bankId,
      type: q.type,
      currentVersion: 1,
      createdAt: now,
      ...fields,
    });
    await questions.insert(question);
    await newVersion(question.id, 1);
    return question.id;
  }

  async recordHash(id: string): Promise<string> {
    const q = await this.transactions.repository(Question).findOneBy({ id });
    const v =
      q &&
      (await this.transactions
        .repository(QuestionVersion)
        .findOneBy({ questionId: id, version: q.currentVersion }));
    return checksum(
      q &&
        v && {
          name: q.name,
          type: q.type,
          categoryId: q.categoryId,
          competencyCode: q.competencyCode,
          competencyLevel: q.competencyLevel,
          difficulty: q.difficulty,
          tags: q.tags,
          stem: v.stem,
          definition: v.definition,
          points: v.points,
          generalFeedback: v.generalFeedback,
        },
    );
  }

  /** A question stays: attempts hold its versions. */
  async archive(): Promise<void> {}
}
