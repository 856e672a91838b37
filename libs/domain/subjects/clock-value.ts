import { compareClocks, earliest, latest } from './clock-order';
import { PURPOSE_CLOCKS, RECORD_CLOCKS, SUBJECT_CLOCKS } from './clock-names';
import type { KeyedRecordClockName } from './fold-records';
import { own } from './sorted-map';
import type { ClockValue, SubjectState } from './subject-state';

/**
 * The value of a base clock (`clock-names.ts`) in its scope, or `undefined` when it is not
 * known yet, its scope is not given, or the name is not a base clock.
 *
 * - subject clocks need no scope; `erasureRequested` counts a death under an `erase`
 *   directive as a request;
 * - `collectedAt` / `lastCollectedAt` are the record's: `record` is its record id
 *   (`recordIdOf(recordKey, category)`);
 * - `answeredAt` / `verifiedAt` / `contractEnded` are kept by record key: `record` is the
 *   record id of a known record (its key is used) or a bare record key;
 * - purpose clocks are the `purpose`'s; `consentWithdrawn` only while consent is withdrawn
 *   (no consent given after the withdrawal); withdrawing every consent at once
 *   (`consentsWithdrawn`) counts as a withdrawal for every purpose.
 */
export function clockValue(
  state: SubjectState,
  name: string,
  record?: string,
  purpose?: string,
): ClockValue | undefined {
  if (name === 'erasureRequested') return erasureRequested(state);
  if (isSubjectClock(name)) return own(state.clocks, name);
  if (name === 'collectedAt' || name === 'lastCollectedAt') {
    return record === undefined ? undefined : own(state.records, record)?.[name];
  }
  if (isKeyedRecordClock(name)) {
    if (record === undefined) return undefined;
    const recordKey = own(state.records, record)?.recordKey ?? record;
    const clocks = own(state.recordClocks, recordKey);
    return clocks && own(clocks, name);
  }
  if (isPurposeClock(name)) {
    if (purpose === undefined) return undefined;
    const consent = own(state.consents, purpose) ?? {};
    if (name !== 'consentWithdrawn') return consent[name];
    const { consentGiven: given } = consent;
    const everyConsent = own(state.clocks, 'consentsWithdrawn');
    const withdrawn = everyConsent
      ? latest(consent.consentWithdrawn, everyConsent)
      : consent.consentWithdrawn;
    return withdrawn && (given === undefined || compareClocks(withdrawn, given) > 0)
      ? withdrawn
      : undefined;
  }
  return undefined;
}

/**
 * The earliest of an erasure request and a death whose latest directive is `erase` (from
 * the later of the death and that directive). A `communicate` directive, or none, leaves
 * the schedule as it is: the account is closed.
 */
function erasureRequested(state: SubjectState): ClockValue | undefined {
  const asked = own(state.clocks, 'erasureRequested');
  const died = own(state.clocks, 'deceased');
  const erase = own(state.clocks, 'directiveErase');
  const communicate = own(state.clocks, 'directiveCommunicate');
  const lastSaysErase = erase && (!communicate || compareClocks(erase, communicate) > 0);
  const byDirective = died && lastSaysErase ? latest(erase, died) : undefined;
  if (byDirective === undefined) return asked;
  return asked === undefined ? byDirective : earliest(asked, byDirective);
}

type SubjectClockName = (typeof SUBJECT_CLOCKS)[number];
type PurposeClockName = (typeof PURPOSE_CLOCKS)[number];

const SUBJECT: ReadonlySet<string> = new Set(SUBJECT_CLOCKS);
const PURPOSE: ReadonlySet<string> = new Set(PURPOSE_CLOCKS);
const KEYED: ReadonlySet<string> = new Set(
  RECORD_CLOCKS.filter((name) => name !== 'collectedAt' && name !== 'lastCollectedAt'),
);

const isSubjectClock = (name: string): name is SubjectClockName => SUBJECT.has(name);
const isKeyedRecordClock = (name: string): name is KeyedRecordClockName => KEYED.has(name);
const isPurposeClock = (name: string): name is PurposeClockName => PURPOSE.has(name);
