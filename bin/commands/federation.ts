import type { Command } from 'commander';

export function registerFederation(program: Command): void {
  void program;
}
