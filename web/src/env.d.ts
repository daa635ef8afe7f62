// Vite bundles the stylesheet a page imports.
declare module '*.css';
