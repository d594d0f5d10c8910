import { defineConfig } from 'vitest/config';
import { gdlVitest } from '@gdl/vitest-config';

export default defineConfig(gdlVitest);
