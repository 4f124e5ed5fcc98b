export * from './types.ts';
export * from './define.ts';
export * from './step.ts';
