// Entry point of the chat webview bundle (dist/webview.js, an IIFE loaded by
// the nonce'd script tag of src/chat/html.ts).
import { startApp } from './app';

const root = document.getElementById('app') ?? document.body;
startApp(root);
