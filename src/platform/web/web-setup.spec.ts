import handlebars from 'handlebars';
import { registerHelpers } from './web-setup.js';

describe('template helpers', () => {
  beforeAll(() => registerHelpers('Asia/Jakarta'));

  it('a record field named like a formatting helper still shows when written bare', () => {
    const render = handlebars.compile(
      '{{#each rows}}<a href="/verify/{{code}}">{{number}}</a> {{percent}}% {{number total}}|{{/each}}',
    );
    expect(
      render({
        lang: 'id',
        rows: [{ code: 'AB12', number: 'SERT-KES-001', percent: 75, total: 1234.5 }],
      }),
    ).toBe('<a href="/verify/AB12">SERT-KES-001</a> 75% 1.234,5|');
  });
});
