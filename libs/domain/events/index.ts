export * from './event-catalogue';
export * from './published-event';
