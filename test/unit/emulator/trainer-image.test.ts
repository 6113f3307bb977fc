import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dockerfileCommand, TrainerImageError } from '../../../emulator/trainer-image.js';

describe('dockerfileCommand', () => {
  it('reads the trainer Dockerfile\'s CMD: the command rubato emulate --bundles runs as the trainer container', () => {
    const dockerfile = readFileSync('functions/trainer/Dockerfile', 'utf8');

    expect(dockerfileCommand(dockerfile)).toEqual(['node', '--import', 'tsx', 'functions/trainer/main.ts']);
  });

  it('takes the last CMD, as Docker does, and refuses a Dockerfile without an exec-form one', () => {
    expect(dockerfileCommand('FROM node\nCMD ["node", "a.js"]\nCMD ["node", "b.js"]\n')).toEqual(['node', 'b.js']);
    expect(() => dockerfileCommand('FROM node\nCMD node a.js\n')).toThrow(TrainerImageError);
  });
});
