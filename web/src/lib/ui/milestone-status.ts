/** How a milestone's status reads as a badge: a symbol and words, plus the badge colour class (never colour alone). */
import type { Milestone } from '@mm/shared';
import { milestoneStatusLabel } from '../i18n/reference.ts';

export interface MilestoneBadge { symbol: string; label: string; tone: 'achieved' | 'off_track' | 'neutral' }

export function milestoneBadge(status: Milestone['status']): MilestoneBadge {
  const label = milestoneStatusLabel(status);
  if (status === 'completed') return { symbol: '✔', label, tone: 'achieved' };
  if (status === 'delayed') return { symbol: '✖', label, tone: 'off_track' };
  return { symbol: '○', label, tone: 'neutral' };
}
