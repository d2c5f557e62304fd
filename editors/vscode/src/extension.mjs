//! The entry point VS Code loads (bundled by build.mjs into dist/extension.js for the desktop
//! and dist/web.js for VS Code for the web): hands the real `vscode` module to main.mjs.

import * as vscode from 'vscode';
import { activateWith } from './main.mjs';

export function activate(context) {
  activateWith(vscode, context);
}

export function deactivate() {}
