import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded database and the built-in issuer', () => {
    const config = loadConfig({});
    expect(config.database.embedded).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.auth.mode).toBe('built-in');
    expect(config.seedDemo).toBe(true);
  });

  it('uses DATABASE_URL and does not seed it unless asked', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' });
    expect(config.database).toMatchObject({ embedded: false, url: 'postgres://postgres@127.0.0.1:5432/x' });
    expect(config.seedDemo).toBe(false);
  });

  it("needs the owner's URL beside the service's login in production, and refuses an unsafe login outside development", () => {
    const login = 'postgres://tsunagi_login@db.example/tsunagi';
    const idp = { AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example' };
    expect(() => loadConfig({ ...idp, NODE_ENV: 'production', DATABASE_URL: login })).toThrow(/MIGRATION_DATABASE_URL: is required in production/);
    const config = loadConfig({ ...idp, NODE_ENV: 'production', DATABASE_URL: login, MIGRATION_DATABASE_URL: 'postgres://tsunagi_owner@db.example/tsunagi' });
    expect(config.database).toMatchObject({ url: login, migrationUrl: 'postgres://tsunagi_owner@db.example/tsunagi', onUnsafeLogin: 'refuse' });
    expect(loadConfig({ NODE_ENV: 'test' }).database.onUnsafeLogin).toBe('refuse');
    expect(loadConfig({}).database.onUnsafeLogin).toBe('warn');
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', MAX_OLD_SPACE_MB: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('MAX_OLD_SPACE_MB');
  });

  it('refuses to start in production with the built-in demo issuer', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWKS_URL: is required in production/);
  });

  it('serves the API docs except in production, unless configured', () => {
    const external = { AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example' };
    expect(loadConfig({}).apiDocs).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', ...external }).apiDocs).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', API_DOCS: 'true', ...external }).apiDocs).toBe(true);
    expect(loadConfig({ API_DOCS: 'false' }).apiDocs).toBe(false);
  });

  it('serves metrics except in production without a token, unless configured', () => {
    const external = { AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example' };
    const token = 'a-long-enough-metrics-token';
    expect(loadConfig({}).metrics).toEqual({ enabled: true, token: undefined });
    expect(loadConfig({ NODE_ENV: 'production', ...external }).metrics.enabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', METRICS_TOKEN: token, ...external }).metrics).toEqual({ enabled: true, token });
    expect(loadConfig({ NODE_ENV: 'production', METRICS_ENABLED: 'true', ...external }).metrics.enabled).toBe(true);
    expect(loadConfig({ METRICS_ENABLED: 'false' }).metrics.enabled).toBe(false);
  });

  it("gives the console's client id only with an external identity provider", () => {
    const external = { AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example' };
    expect(() => loadConfig({ AUTH_CONSOLE_CLIENT_ID: 'console' })).toThrow(/AUTH_CONSOLE_CLIENT_ID: needs an external identity provider/);
    expect(loadConfig({ ...external, AUTH_CONSOLE_CLIENT_ID: 'console' }).auth).toMatchObject({ console: { clientId: 'console', scope: 'openid' } });
    expect(loadConfig(external).auth).not.toHaveProperty('console');
  });

  it('requires the issuer with an external key set', () => {
    expect(() => loadConfig({ AUTH_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/AUTH_ISSUER/);
  });

  it('switches to an external identity provider when its key set is configured', () => {
    const config = loadConfig({ AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example' });
    expect(config.auth).toEqual({
      mode: 'external',
      issuer: 'https://idp.example',
      audience: 'tsunagi',
      jwksUrl: 'https://idp.example/jwks',
    });
  });
});
