import { visibleControls } from './display-text';

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * What a 404 says for the address asked for (pure, unit-tested): which search, entity or user is not
 * in the project, or that there is no such page. Controls in the address are shown, never obeyed.
 */
export function notFoundText(pathname: string, project: string): string {
  const [, section = '', second = '', third = ''] = pathname.split('/');
  let text = `There is no page at ${decoded(pathname)}.`;
  if (section === 'queries' && second && !third) text = `No search with id ${decoded(second)} in project ${project}.`;
  if (section === 'graph' && second === 'entity' && third) text = `No entity with id ${decoded(third)} in project ${project}.`;
  if (section === 'users' && second && !third) text = `No user ${decoded(second)} in project ${project}.`;
  return visibleControls(text);
}
