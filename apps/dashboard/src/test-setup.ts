import { beforeEach } from 'vitest';

// Spec files may share one browser context, so a theme or presenter mode that one spec stored would leak
// into the next one's components: every test starts from an empty localStorage.
beforeEach(() => localStorage.clear());
