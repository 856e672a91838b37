import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main';

describe('the all-in-one server', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('refuses LEDGER_MEMORY=small when node was not started for size, before it writes anything', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ledger-main-')), 'data');
    process.env.LEDGER_DATA_DIR = dataDir;
    process.env.LEDGER_MEMORY = 'small';
    await expect(main(['--local'])).rejects.toMatchObject({
      code: 'CONFIG.INVALID',
      message: expect.stringMatching(
        /^LEDGER_MEMORY=small needs node started with --optimize-for-size/,
      ),
    });
    // Local mode would have generated its keys into the data folder.
    expect(() => readdirSync(dataDir)).toThrow(/ENOENT/);
  });
});
