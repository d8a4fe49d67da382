/**
 * Okabe–Ito colour-blind-safe palette, and the status encodings: every status has a colour AND a
 * pattern AND a text symbol, so it never depends on colour alone.
 */
import type { IndicatorStatus } from '../api/progress.ts';

export const OKABE_ITO = {
  orange: '#E69F00', skyBlue: '#56B4E9', green: '#009E73', yellow: '#F0E442', blue: '#0072B2', vermillion: '#D55E00', purple: '#CC79A7', black: '#000000', grey: '#8C8C8C',
} as const;

export const SERIES = [OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.skyBlue, OKABE_ITO.vermillion, OKABE_ITO.yellow, OKABE_ITO.black];

export const STATUS_ORDER: readonly IndicatorStatus[] = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data'];

export const STATUS_STYLE: Record<IndicatorStatus, { label: string; colour: string; symbol: string; pattern: Pattern }> = {
  achieved: { label: 'Achieved', colour: OKABE_ITO.blue, symbol: '✔', pattern: 'solid' },
  on_track: { label: 'On track', colour: OKABE_ITO.green, symbol: '●', pattern: 'dots' },
  at_risk: { label: 'At risk', colour: OKABE_ITO.orange, symbol: '▲', pattern: 'diagonal' },
  off_track: { label: 'Off track', colour: OKABE_ITO.vermillion, symbol: '✖', pattern: 'cross' },
  no_data: { label: 'No data', colour: '#BDBDBD', symbol: '–', pattern: 'horizontal' },
};

export type Pattern = 'solid' | 'dots' | 'diagonal' | 'cross' | 'horizontal';

const cache = new Map<string, CanvasPattern | string>();

/** A fill for canvas charts: the colour with a light pattern drawn over it (cached per colour+pattern). */
export function patternFill(colour: string, pattern: Pattern): CanvasPattern | string {
  if (pattern === 'solid' || typeof document === 'undefined') return colour;
  const key = `${colour}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const size = 8;
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  const ctx = c.getContext('2d');
  if (!ctx) return colour;
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = 'rgba(255,255,255,0.75)';
  ctx.fillStyle = 'rgba(255,255,255,0.8)';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  if (pattern === 'dots') ctx.arc(size / 2, size / 2, 1.6, 0, Math.PI * 2);
  if (pattern === 'diagonal' || pattern === 'cross') { ctx.moveTo(0, size); ctx.lineTo(size, 0); ctx.moveTo(-2, 2); ctx.lineTo(2, -2); ctx.moveTo(size - 2, size + 2); ctx.lineTo(size + 2, size - 2); }
  if (pattern === 'cross') { ctx.moveTo(0, 0); ctx.lineTo(size, size); }
  if (pattern === 'horizontal') { ctx.moveTo(0, size / 2); ctx.lineTo(size, size / 2); }
  if (pattern === 'dots') ctx.fill();
  else ctx.stroke();
  const p = ctx.createPattern(c, 'repeat');
  const fill = p ?? colour;
  cache.set(key, fill);
  return fill;
}
