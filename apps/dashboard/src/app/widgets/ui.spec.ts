import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Delta, spokenChange } from './ui';

@Component({ imports: [Delta], template: `<mt-delta [change]="change()" basis="vs last week" />` })
class Host {
  readonly change = signal<number | null>(-1.1);
}

describe('Delta', () => {
  it.each([
    [-1.1, '', 'down 1.1%'],
    [12.5, 'vs last week', 'up 12.5% vs last week'],
    [0, 'vs last month', 'unchanged vs last month'],
    [null, '', 'no comparison'],
  ])('reads %s (%s) as "%s", the sign in the word and not in the number', (change, basis, spoken) => {
    expect(spokenChange(change, basis)).toBe(spoken);
  });

  it('shows the arrow, the change and what it is against, in the colour of its direction', async () => {
    TestBed.configureTestingModule({ imports: [Host] });
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const delta = (fixture.nativeElement as HTMLElement).querySelector('mt-delta')!;
    expect(delta.textContent?.replace(/\s+/g, ' ').trim()).toBe('↓ −1.1% vs last week');
    expect(delta.getAttribute('aria-label')).toBe('down 1.1% vs last week');
    expect(delta.classList).toContain('delta-down');
    fixture.componentInstance.change.set(3);
    await fixture.whenStable();
    expect(delta.classList).toContain('delta-up');
  });
});
