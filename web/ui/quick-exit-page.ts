// The information pages' only script (staying-safe, privacy, accessibility): the quick exit's
// Shift ×3, blanking and location replace. Without it the button is still a plain link that leaves.
import { installQuickExit } from './quick-exit.js';

const button = document.getElementById('quick-exit');
if (button) installQuickExit({ button, exitTitle: document.documentElement.dataset.exitTitle ?? 'Weather' });
