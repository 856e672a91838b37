import { checkMemoryMode, SMALL_MEMORY_NODE_FLAG } from './memory-mode';

describe('memory mode', () => {
  it('starts by default whatever the node flags', () => {
    expect(() => checkMemoryMode('default', [])).not.toThrow();
    expect(() => checkMemoryMode('default', [SMALL_MEMORY_NODE_FLAG])).not.toThrow();
  });

  it('starts small only when node was started for size, and says how otherwise', () => {
    expect(() =>
      checkMemoryMode('small', ['--enable-source-maps', SMALL_MEMORY_NODE_FLAG]),
    ).not.toThrow();
    expect(() => checkMemoryMode('small', ['--max-semi-space-size=1'])).toThrow(
      /LEDGER_MEMORY=small needs node started with --optimize-for-size: start the ledger with bin\/ledger-server/,
    );
  });
});
