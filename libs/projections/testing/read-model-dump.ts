import Database from 'better-sqlite3';

/**
 * Every table of a read-model file, each ordered by its primary key, as text: two dumps
 * are equal when the tables hold the same bytes.
 */
export function dumpReadModels(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    return tables
      .map((table) => {
        const keys = (db.pragma(`table_info(${table})`) as Array<{ name: string; pk: number }>)
          .filter((column) => column.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((column) => column.name);
        const rows = db
          .prepare(`SELECT * FROM ${table} ORDER BY ${keys.join(', ')}`)
          .raw()
          .all();
        return [`-- ${table}`, ...rows.map((row) => JSON.stringify(row))].join('\n');
      })
      .join('\n');
  } finally {
    db.close();
  }
}
