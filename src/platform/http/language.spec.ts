import { preferredLanguage } from './language';

describe('preferredLanguage', () => {
  it.each([
    [undefined, 'ja'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['ja,en;q=0.8', 'ja'],
    ['fr,en;q=0.5,ja;q=0.4', 'en'],
    ['fr', 'ja'],
    ['en;q=0, ja', 'ja'],
  ])('%s → %s', (header, expected) => {
    expect(preferredLanguage(header)).toBe(expected);
  });
});
