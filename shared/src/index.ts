export * from './reference.ts';
export * from './schemas.ts';
export * from './format.ts';
export * from './progress.ts';
// Both schemas.ts and progress.ts name these; the API record types win (they carry every field the math reads).
export type { IndicatorInput, Measurement } from './schemas.ts';
export * from './imports.ts';
export * from './records.ts';
export * from './snapshots.ts';
export * from './progress-api.ts';
export * from './progress-agg.ts';
export * from './chart-config.ts';
export * from './scorecard.ts';
export * from './scorecard-math.ts';
export * from './reporting.ts';
export * from './schedules.ts';
