import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service.js';
import type { AuthUser } from '../../platform/auth/auth-user.js';
import { Question, QuestionBank, QuestionVersion } from '../banks/question-bank.entity.js';
import { Assessment, Attempt } from './assessment.entity.js';
import { AttemptsService } from './attempts.service.js';

type Definition = Record<string, unknown>;

/** The response that earns full credit, read from a question's definition. */
export function rightResponse(type: string, d: Definition): unknown {
  const options = (d.options ?? []) as { id: string; fraction: number }[];
  switch (type) {
    case 'single_choice':
      return [...options].sort((a, b) => b.fraction - a.fraction)[0]?.id;
    case 'multiple_response':
      return options.filter((o) => o.fraction > 0).map((o) => o.id);
    case 'true_false':
      return d.answer;
    case 'short_answer':
      return ((d.answers ?? []) as { text: string; fraction: number }[])
        .find((a) => a.fraction === 1)
        ?.text.replaceAll('*', '');
    case 'numeric': {
      const a = ((d.answers ?? []) as { value?: number; min?: number; fraction: number }[]).find(
        (x) => x.fraction === 1,
      );
      return a?.value ?? a?.min;
    }
    case 'matching':
      return d.key;
    case 'ordering':
      return ((d.items ?? []) as { id: string }[]).map((i) => i.id);
    default:
      return 'Jawaban uraian contoh dari data demo.';
  }
}

/** Assessment's part of the demo records (see `ContentDemoService`). */
@Injectable()
export class AssessmentDemoService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly attempts: AttemptsService,
  ) {}

  /** Whether the user ever started an attempt (the demo records were made before). */
  hasAttempts(userId: string): Promise<boolean> {
    return this.transactions.repository(Attempt).existsBy({ userId });
  }

  /** Sits an assessment through the real routes' services: every answer right, or (to fail) a third of them. */
  async sit(caller: AuthUser, assessmentId: string, pass: boolean): Promise<void> {
    const attempt = await this.attempts.start(caller, assessmentId);
    const items = await this.attempts.keyedItems(attempt.id);
    const versions = await this.transactions.repository(QuestionVersion).find({
      where: items.map((i) => ({ questionId: i.questionId, version: i.questionVersion })),
    });
    for (const [index, item] of items.entries()) {
      if (!pass && index % 3 !== 0) continue;
      const version = versions.find(
        (v) => v.questionId === item.questionId && v.version === item.questionVersion,
      );
      const definition = (version?.definition ?? {}) as Definition;
      const response = rightResponse(item.type, definition);
      if (response !== undefined)
        await this.attempts.answer(caller, attempt.id, item.slot, {
          response: this.attempts.candidateResponse(attempt.id, item, definition, response),
        });
    }
    await this.attempts.submit(caller, attempt.id);
  }

  /**
   * A one-essay reflection exam for one user only, drawn from the sector's first bank, so
   * the coordinator has an essay waiting to be graded; null when the sector has no bank.
   */
  async reflectionFor(user: AuthUser, sector: string, title: string): Promise<string | null> {
    const bank = await this.transactions
      .repository(QuestionBank)
      .findOne({ where: { sector }, order: { createdAt: 'ASC' } });
    if (!bank) return null;
    const now = new Date();
    const questions = this.transactions.repository(Question);
    const essay = questions.create({
      bankId: bank.id,
      categoryId: null,
      name: 'Refleksi praktik (demo)',
      type: 'essay',
      currentVersion: 1,
      competencyCode: null,
      competencyLevel: null,
      difficulty: 'sedang',
      tags: ['demo'],
      createdAt: now,
      updatedAt: now,
    });
    await questions.insert(essay);
    const versions = this.transactions.repository(QuestionVersion);
    await versions.save(
      versions.create({
        questionId: essay.id,
        version: 1,
        stem: 'Ceritakan satu situasi di tempat kerja Anda ketika Anda menerapkan materi pelatihan ini, dan apa hasilnya.',
        definition: {
          rubric:
            'Situasi nyata (1), langkah yang diambil sesuai materi (1), hasil dan refleksi (1).',
        },
        points: 3,
        generalFeedback: '',
        usedAt: null,
        createdBy: null,
        createdAt: now,
      }),
    );
    const assessments = this.transactions.repository(Assessment);
    const reflection = assessments.create({
      sector,
      title,
      instructions: 'Tulis jawaban Anda dengan kalimat sendiri.',
      sections: [{ bankId: bank.id, count: 1, questionIds: [essay.id] }],
      shuffle: false,
      timeLimitMinutes: null,
      maxAttempts: 1,
      scoring: 'highest',
      passPercent: 60,
      opensAt: null,
      closesAt: null,
      // Only for this demo ASN: other people's exam lists stay about their own sector.
      audience: { everyone: false, userIds: [user.id] },
      reviewPolicy: 'feedback',
      reviewAfterClose: false,
      attests: [],
      layout: 'all',
      supervised: false,
      status: 'published',
      createdBy: null,
      createdAt: now,
      updatedAt: now,
    });
    await assessments.insert(reflection);
    return reflection.id;
  }
}
