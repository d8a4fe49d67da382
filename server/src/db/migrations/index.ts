/**
 * Every schema migration, one file each, in version order: the position + 1 is the schema version.
 * Append only; a new migration is a new file listed at the end.
 */
import type { Migration } from './kit.ts';
import { migration as m001 } from './001-initial.ts';
import { migration as m002 } from './002-indicator-stats.ts';
import { migration as m003 } from './003-milestone-counts.ts';
import { migration as m004 } from './004-partnership-indexes.ts';
import { migration as m005 } from './005-indicator-periods.ts';
import { migration as m006 } from './006-milestone-quarters.ts';
import { migration as m007 } from './007-objective-index.ts';
import { migration as m008 } from './008-scorecard.ts';
import { migration as m009 } from './009-reporting.ts';
import { migration as m010 } from './010-oidc-logins.ts';
import { migration as m011 } from './011-snapshot-schedules.ts';
import { migration as m012 } from './012-user-locale.ts';
import { migration as m013 } from './013-approved-derived.ts';

export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013];
