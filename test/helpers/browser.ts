import type { Response } from 'supertest';
import type { TestApp } from './test-app.js';

/** One cookie as a browser received it. */
export interface ReceivedCookie {
  name: string;
  value: string;
  /** The attributes, lower-cased names: `httponly`, `samesite`, `secure`, `path`, `max-age`… */
  attributes: Map<string, string>;
}

/** The cookies a response sets, with their attributes. */
export function cookiesOf(res: Response): ReceivedCookie[] {
  const lines = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return lines.map((line) => {
    const [pair, ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    return {
      name: pair.slice(0, at).trim(),
      value: pair.slice(at + 1),
      attributes: new Map(
        attributes.map((a) => {
          const [name, ...value] = a.trim().split('=');
          return [name.toLowerCase(), value.join('=')] as [string, string];
        }),
      ),
    };
  });
}

/**
 * A browser with one cookie jar in front of one or more app instances (a load balancer that
 * sends each request where the test says). It keeps every cookie, Secure ones included, so a
 * production-mode app can be driven over plain HTTP.
 */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly instances: TestApp[]) {}

  get(on: number, url: string) {
    return this.keep(this.instances[on].http.get(url).set('cookie', this.header()));
  }

  post(on: number, url: string, form: Record<string, string>) {
    return this.keep(
      this.instances[on].http.post(url).set('cookie', this.header()).type('form').send(form),
    );
  }

  put(on: number, url: string, body: object, csrf: string) {
    return this.keep(
      this.instances[on].http
        .put(url)
        .set('cookie', this.header())
        .set('x-csrf-token', csrf)
        .send(body),
    );
  }

  forget(name: string) {
    this.cookies.delete(name);
  }

  has(name: string) {
    return this.cookies.has(name);
  }

  /** The Cookie header this browser sends. */
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private async keep(request: PromiseLike<Response>): Promise<Response> {
    const res = await request;
    for (const cookie of cookiesOf(res)) {
      const expired =
        cookie.attributes.get('max-age') === '0' ||
        /1970/.test(cookie.attributes.get('expires') ?? '');
      if (!cookie.value || expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return res;
  }
}
