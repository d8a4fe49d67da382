export * from './reference.ts';
export * from './schemas.ts';
export * from './format.ts';
