import { phoneText } from '../../customer/phone';
import type { Phone } from '../../customer/schema';

/** Alegra's four phone slots on a contact. */
export type PhoneSlot = 'phonePrimary' | 'phoneSecondary' | 'mobile' | 'fax';

/** Slots tried for each unified kind, in order: a second primary number goes to phoneSecondary. */
const PREFERENCE: Record<Phone['kind'], PhoneSlot[]> = {
  primary: ['phonePrimary', 'phoneSecondary'],
  other: ['phoneSecondary', 'phonePrimary'],
  mobile: ['mobile', 'phoneSecondary'],
  fax: ['fax'],
};

/**
 * Places phones in slots; `overflow` lists the indexes that found no free slot (reported at accept time), and
 * `moved` those placed in a slot that is not their kind's own (a second primary number in phoneSecondary).
 */
export function assignPhones(phones: readonly Phone[] = []): {
  slots: Partial<Record<PhoneSlot, string>>;
  overflow: number[];
  moved: number[];
} {
  const slots: Partial<Record<PhoneSlot, string>> = {};
  const overflow: number[] = [];
  const moved: number[] = [];
  phones.forEach((p, i) => {
    const slot = PREFERENCE[p.kind].find((s) => slots[s] === undefined);
    if (slot) slots[slot] = phoneText(p);
    else overflow.push(i);
    if (slot && slot !== PREFERENCE[p.kind][0]) moved.push(i);
  });
  return { slots, overflow, moved };
}
