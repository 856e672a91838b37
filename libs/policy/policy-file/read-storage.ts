import type { StorageLocation } from '../policy';
import type { YamlReader } from './yaml-reader';

/** `storage:`: where the data is kept and how it may leave (section 5 of the seed policy). */
export function readStorage(reader: YamlReader, node: unknown): StorageLocation[] | undefined {
  if (node === undefined) return undefined;
  const items = reader.items(node, '"storage"') ?? [];
  return items.flatMap((item) => {
    const fields = reader.fields(item, 'a storage location', ['where', 'transfers']);
    if (!fields) return [];
    if (!fields.has('where')) reader.problem(fields.node, 'a storage location needs "where"');
    const where = fields.has('where') ? reader.text(fields.get('where'), '"where"') : undefined;
    const transfers = fields.has('transfers')
      ? reader.text(fields.get('transfers'), '"transfers"')
      : undefined;
    return where ? [{ where, ...(transfers ? { transfers } : {}) }] : [];
  });
}
