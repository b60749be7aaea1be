import { describe, it, expect } from 'vitest';
import * as domain from './index';

describe('@liudong/domain entry point', () => {
  // The server and the web app are written against these names.
  it.each([
    'systemClock',
    'fixedClock',
    'normalizeIdNumber',
    'computeIdCheckChar',
    'convertIdNumber15To18',
    'parseIdNumber',
    'isValidIdNumber',
    'parsePhone',
    'isValidPhone',
    'maskIdNumber',
    'maskPhone',
    'maskAddress',
    'maskName',
    'maskText',
    'checkPasswordPolicy',
    'describePasswordPolicy',
    'generateOneTimePassword',
    'decideAfterFailure',
    'isLocked',
    'isIpThrottled',
    'canContain',
    'childPath',
    'isWithinSubtree',
    'canMoveUnder',
    'rebasePath',
    'pathDepth',
    'pathIds',
    'relationOf',
    'requiresTotp',
    'checkRoleGrant',
    'hasPermission',
    'isRegionCode',
    'regionLevel',
    'provinceCodeOf',
    'cityCodeOf',
    'regionAncestors',
    'createRng',
    'syntheticName',
    'syntheticIdNumber',
    'syntheticMobile',
    'syntheticBirthDate',
  ])('exports %s', (name) => {
    expect(domain).toHaveProperty(name);
    expect(typeof (domain as Record<string, unknown>)[name]).toMatch(/^(function|object)$/);
  });
});
