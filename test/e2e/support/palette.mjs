// The command palette and Quick Open, as a person uses them (F1, type, click).
export { pickQuickInputItem, quickOpenFile, runFromCommandPalette } from '../../../scripts/lib/workbench.mjs';
