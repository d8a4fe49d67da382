/** Registers only the Chart.js parts the app draws with, so the rest is tree-shaken away. */
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend, Filler, annotationPlugin);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#333';
Chart.defaults.maintainAspectRatio = false;
// People who ask for less motion get charts drawn at once.
if (typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) Chart.defaults.animation = false;
else Chart.defaults.animation = { duration: 300 };

export { Chart };
