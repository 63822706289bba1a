// Every boundary's schema in one place; types are inferred from them, never declared twice.
export * from './project';
export * from './item';
export * from './annotation';
export * from './importing';
export * from './job';
export * from './settings';
export * from './model';
export * from './inference';
export * from './prediction';
export * from './review';
