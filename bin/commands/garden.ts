import type { Command } from 'commander';

export function registerGarden(program: Command): void {
  void program;
}
