import { logCapture } from '../support/log-capture';
import { everyTestApp } from '../support/test-app';

/**
 * Logs carry no personal data. The story flows run again here with every line their apps log
 * captured (at debug level, the most there is), and the names, kana, addresses, phone numbers and
 * e-mail addresses of every person they created are looked for in every line: none may appear. Every
 * line a request logs names the request, its route, and (once signed in) the tenant and staff member.
 */
const logs = logCapture();
const personalData = new Set<string>();

everyTestApp.logTo = logs.stream;
everyTestApp.level = 'debug';
// Everyone the flows wrote down, read off each app's database before it is dropped.
everyTestApp.beforeClose = async (t) => {
  const persons = await t.sql<Record<string, string | null>>(
    `select family_name, given_name, family_name_kana, given_name_kana, family_name || given_name as full_name, family_name || ' ' || given_name as spaced_name, address, phone, email from persons`,
  );
  for (const person of persons) for (const value of Object.values(person)) if (value && value.trim().length >= 2) personalData.add(value.trim());
};

describe('the story flows, logged', () => {
  require('./referral-story.e2e.spec');
  require('./coordination-story.e2e.spec');
  require('./evacuation-support-story.e2e.spec');
});

afterAll(() => {
  everyTestApp.logTo = everyTestApp.level = everyTestApp.beforeClose = undefined;
  expect(logs.raw.length).toBeGreaterThan(50);
  expect(personalData.size).toBeGreaterThan(10);

  const leaks = logs.raw.flatMap((line) => [...personalData].filter((value) => line.includes(value) || line.includes(JSON.stringify(value).slice(1, -1))).map((value) => `${value} in ${line}`));
  expect(leaks).toEqual([]);

  // Every line of a request carries its id and route, and the tenant and staff id its access line names.
  const accessLines = new Map(logs.lines.filter((l) => l.res && l.requestId).map((l) => [l.requestId, l]));
  const unnamed = logs.lines
    .filter((l) => l.requestId)
    .filter((l) => {
      const access = accessLines.get(l.requestId);
      return !l.route || (access?.tenantId && (l.tenantId !== access.tenantId || (l.staffId ?? l.supporterId) !== (access.staffId ?? access.supporterId)));
    });
  expect(unnamed).toEqual([]);
});
