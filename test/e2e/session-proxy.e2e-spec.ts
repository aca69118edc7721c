import { Clock } from '../../src/platform/clock.js';
import { publishedExam } from '../helpers/exams.js';
import { aNip } from '../helpers/nip.js';
import { aSectorPosition, anAsnIn } from '../helpers/sector-world.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

/*
 * The room's network behind a proxy that appends to X-Forwarded-For (nginx's
 * `$proxy_add_x_forwarded_for`): with TRUST_PROXY naming the proxy, a candidate at home who
 * writes the room's address into the header is still seen at their own address.
 */

const GIFT = '::TF1:: Cuci tangan sebelum kontak pasien. {T}';

describe(`a supervised session's room behind an appending proxy (${engine})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp({ env: { TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => t?.close());

  it('refuses a forged room address; lets in the one the proxy saw inside the room', async () => {
    const now = Math.ceil(Date.now() / (15 * 60_000)) * 15 * 60_000 + 60_000;
    t.app.get(Clock).now = () => new Date(now);
    const admin = await t.tokenFor(await t.createUser('admin'));
    const coordinator = await t.createUser('coordinator', { sectors: ['health'] });
    const coordinatorToken = await t.tokenFor(coordinator);
    const position = await aSectorPosition(t, admin, 'health', 'KES-PROXY');
    const proctor = await anAsnIn(t, position, { nip: aNip(71) });
    const home = await anAsnIn(t, position, { nip: aNip(72) });
    const room = await anAsnIn(t, position, { nip: aNip(73) });
    const { id: examId } = await publishedExam(t, coordinatorToken, {
      title: 'Ujian di ruang',
      gift: GIFT,
      count: 1,
      settings: { supervised: true, timeLimitMinutes: 30 },
    });
    const session = (
      await t
        .as(coordinatorToken)
        .post(`/api/v1/assessments/${examId}/sessions`)
        .send({
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 3_600_000).toISOString(),
          location: 'Lab Komputer',
          capacity: 5,
          proctorIds: [proctor.id],
          ipRanges: ['10.20.0.0/24'],
        })
        .expect(201)
    ).body.id as string;
    await t
      .as(coordinatorToken)
      .post(`/api/v1/sessions/${session}/candidates`)
      .send({ nips: [home.nip, room.nip] })
      .expect(200);
    const pin = (await t.as(coordinatorToken).get(`/api/v1/sessions/${session}`)).body.pin;
    const start = async (token: string, forwardedFor: string) =>
      t
        .as(token)
        .post(`/api/v1/assessments/${examId}/attempts`)
        .set('x-forwarded-for', forwardedFor)
        .send({ sessionId: session, pin });

    // The forged room address comes first; the proxy appends the address it really saw.
    const forged = await start(await t.tokenFor(home), '10.20.0.5, 203.0.113.9');
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('session.outside_range');
    expect((await start(await t.tokenFor(room), '10.20.0.7')).status).toBe(201);
  });
});
