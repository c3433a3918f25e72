import type { Response } from 'supertest';
import { bearer, type TestApp } from './test-app';

/** Calls the API as a demo login and keeps every response, so a test can scan all of them afterwards. */
export class ApiClient {
  readonly responses: { login: string; method: string; path: string; status: number; body: string }[] = [];

  constructor(private readonly t: TestApp) {}

  /** The typed client (TestApp.api), its responses kept like the others. */
  typed(login: string) {
    return this.t.api(login, {
      onResponse: async ({ request, response }) => {
        const url = new URL(request.url);
        this.responses.push({ login, method: request.method.toLowerCase(), path: url.pathname + url.search, status: response.status, body: await response.clone().text() });
      },
    });
  }

  as(login: string) {
    const send = async (method: 'get' | 'post' | 'patch' | 'put', path: string, body?: object, headers: Record<string, string> = {}) => {
      let call = this.t.http()[method](path).set(bearer(await this.t.token(login))).set(headers);
      const res: Response = await (body ? call.send(body) : call);
      this.responses.push({ login, method, path, status: res.status, body: JSON.stringify(res.body) });
      return res;
    };
    return {
      get: (path: string) => send('get', path),
      post: (path: string, body: object = {}, headers?: Record<string, string>) => send('post', path, body, headers),
      patch: (path: string, body: object = {}, headers?: Record<string, string>) => send('patch', path, body, headers),
      put: (path: string, body: object = {}, headers?: Record<string, string>) => send('put', path, body, headers),
    };
  }
}
