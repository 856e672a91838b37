/** The subject-content read model's file (`SqliteSubjectContent`): the worker writes, the API reads. */
export const SUBJECT_CONTENT = Symbol('SUBJECT_CONTENT');
