import { Course } from '../../src/learning/course.entity.js';
import { User } from '../../src/identity/user.entity.js';
import { bootTestApp, engine, TestApp } from '../helpers/test-app.js';

describe(`the agency plan counts every agreed plan, whatever the owner's role (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t.close());

  it("a coordinator's agreed plan (plan.own lets them have one) is in the agency plan and its cost", async () => {
    const admin = await t.tokenFor(await t.createUser('admin'));
    const coordinatorUser = await t.createUser('coordinator', { sectors: ['health'] });
    const coordinator = await t.tokenFor(coordinatorUser);
    const supervisorUser = await t.createUser('asn');
    const supervisor = await t.tokenFor(supervisorUser);
    await t.dataSource
      .getRepository(User)
      .update({ id: coordinatorUser.id }, { supervisorId: supervisorUser.id });
    const year = new Date().getUTCFullYear();
    const before = (
      await t.as(admin).get('/api/v1/reports/development-plan').query({ year }).expect(200)
    ).body;
    const course = (
      await t
        .as(coordinator)
        .post('/api/v1/courses')
        .send({ sector: 'health', code: 'RV-AP-1', title: 'Pelatihan RV-AP-1', jp: 8 })
        .expect(201)
    ).body.id as string;
    await t
      .as(coordinator)
      .post(`/api/v1/courses/${course}/lessons`)
      .send({ title: 'Bacaan', kind: 'markdown', body: '# Bacaan\n\nIsi.' })
      .expect(201);
    await t.as(coordinator).post(`/api/v1/courses/${course}/publish`).expect(200);
    await t.dataSource.getRepository(Course).update({ id: course }, { costIdr: 7_000_000 });
    await t.as(coordinator).get('/api/v1/me/plan').expect(200);
    await t
      .as(coordinator)
      .post('/api/v1/me/plan/items')
      .send({ kind: 'course', refId: course })
      .expect(201);
    const plan = (await t.as(coordinator).post('/api/v1/me/plan/submit').expect(200)).body;
    await t.as(supervisor).post(`/api/v1/plans/${plan.id}/agree`).send({}).expect(200);
    const after = (
      await t.as(admin).get('/api/v1/reports/development-plan').query({ year }).expect(200)
    ).body;
    expect({
      agreedAdded: after.counts.agreed - before.counts.agreed,
      jpAdded: after.target.plannedJp - before.target.plannedJp,
    }).toEqual({ agreedAdded: 1, jpAdded: 8 });
  });
});
