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

/** Places phones in slots; `overflow` lists the indexes that found no free slot (reported at accept time). */
export function assignPhones(phones: readonly Phone[] = []): {
  slots: Partial<Record<PhoneSlot, string>>;
  overflow: number[];
} {
  const slots: Partial<Record<PhoneSlot, string>> = {};
  const overflow: number[] = [];
  phones.forEach((p, i) => {
    const slot = PREFERENCE[p.kind].find((s) => slots[s] === undefined);
    if (slot) slots[slot] = phoneText(p);
    else overflow.push(i);
  });
  return { slots, overflow };
}
