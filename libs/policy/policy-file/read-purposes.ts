import type { Purpose } from '../policy';
import { readPurpose, type PurposeContext } from './read-purpose';

/** `purposes:`, a non-empty list whose ids are unique (they are the public contract). */
export function readPurposes(context: PurposeContext, node: unknown): Purpose[] {
  const { reader } = context;
  const items = reader.items(node, '"purposes"');
  if (!items) return [];
  const firstLine = new Map<string, number>();
  const purposes: Purpose[] = [];
  items.forEach((item, index) => {
    const { purpose, idNode } = readPurpose(context, item, index);
    if (!purpose) return;
    const line = firstLine.get(purpose.id);
    if (line !== undefined) {
      reader.problem(idNode, `purpose id "${purpose.id}" is already used on line ${line}`);
      return;
    }
    firstLine.set(purpose.id, reader.lineOf(idNode));
    purposes.push(purpose);
  });
  return purposes;
}
