## The loan fund, continued (issue 16): a loan funded by a supporter, corrections, the receipt photo.

## A loan funded by a supporter (حامی). The supporter never sees the borrower's name (docs/fund.md).
fund-btn-support = 🤝 حامی وام { $number }
fund-btn-support-set = ✅ ثبت حامی
fund-queue-supported = 🤝 با پشتیبانی حامی: { $name }
fund-support-none = این کانون هنوز حامی ندارد. راهبر می‌تواند از کارت کانون، حامی دعوت کند.
fund-support-pick = وام شماره‌ی { $number } را کدام حامی تأمین کرده است؟ (حامیان کانون: { $count } نفر)
fund-support-confirm = ثبت شود که وام شماره‌ی { $number } ({ $amount }) را { $name } تأمین کرده است؟ به این حامی خبر می‌دهیم و وقتی قسط‌ها تمام شد، گزارش کوتاه وام را برایش می‌فرستیم.
fund-support-marked = ✅ ثبت شد: وام شماره‌ی { $number } با پشتیبانی { $name }. به او خبر دادیم.
fund-support-already = وام شماره‌ی { $number } پیش از این به نام { $name } ثبت شده بود.
fund-support-told =
    🤝 از پشتیبانی شما سپاسگزاریم.
    صندوق قرض‌الحسنه‌ی کانون «{ $center }» ثبت کرد که وام شماره‌ی { $number } ({ $kind }، { $amount }، { $count } قسط) را شما تأمین کرده‌اید. وقتی همه‌ی قسط‌های آن پرداخت شد، گزارش کوتاهش را برایتان می‌فرستیم.
fund-support-report =
    📄 گزارش وامی که تأمین کردید
    کانون «{ $center }»، وام شماره‌ی { $number } ({ $kind }): { $amount }
    قسط‌های پرداخت‌شده: { $paid } از { $count } ({ $paid_amount })
    ✅ این وام در { $date } تسویه و بسته شد.
fund-problem-not-supportable = فقط برای وام‌های تأییدشده‌ای که هنوز بسته نشده‌اند حامی ثبت می‌شود.
fund-problem-not-supporter = این شخص حامی این کانون نیست.
fund-problem-already-supported = برای این وام پیش از این حامی دیگری ثبت شده است.

## Correcting a ledger entry (one step, by a confirmer; the others are told).
fund-btn-correct = ✏️ اصلاح یک ردیف دفتر
fund-btn-correct-save = ✅ ثبت اصلاحیه
fund-correct-entry-button = { $number }) { $kind } { $amount } · { $name }
fund-correct-kind-contribution = سهم
fund-correct-kind-instalment = قسط
fund-correct-kind-payout = وام
fund-correct-entry = ردیف { $number }: { $kind }، { $name }، { $amount }، { $date }
fund-correct-none = دفتر صندوق هنوز ردیفی ندارد.
fund-correct-pick = کدام ردیف دفتر را اصلاح می‌کنید؟ (تازه‌ترها اول) هیچ ردیفی پاک یا عوض نمی‌شود؛ اصلاحیه ردیف تازه‌ای است که به آن اشاره می‌کند.
fund-correct-ask-amount =
    { $entry }
    مبلغ درست چقدر بود؟ مثلاً «۱۵۰ هزار تومان». اگر اصلاً پرداخت نشده بود، «۰» بنویسید.
fund-correct-same = این همان مبلغی است که الان در دفتر ثبت است. مبلغ درست را بنویسید.
fund-correct-ask-reason = دلیل اصلاح را کوتاه بنویسید (به تأییدکننده‌ی دیگر و صاحب ردیف هم نشان داده می‌شود).
fund-correct-preview =
    پیش‌نمایش اصلاحیه
    { $entry }
    مبلغ درست: { $amount }
    دلیل: { $reason }
fund-correct-done = ✅ اصلاحیه ثبت شد. ردیف { $number } اکنون { $amount } حساب می‌شود. به تأییدکننده‌ی دیگر و صاحب ردیف خبر دادیم.
fund-correct-notice = ✏️ { $by } ردیف { $number } دفتر صندوق ({ $kind }، { $name }) را اصلاح کرد؛ اکنون { $amount } حساب می‌شود. دلیل: { $reason }

## The receipt photo, sent to the confirmers.
fund-receipt-had-one = عکس رسید این واریز پیش‌تر رسیده و برای تأییدکننده فرستاده شده است. اگر عکس دیگری لازم است، با تأییدکننده صحبت کنید.
fund-receipt-caption = 🧾 رسید واریز { $name } ({ $amount })
fund-receipt-elsewhere = 🧾 { $name } برای واریز { $amount } عکس رسید را در { $platform } فرستاده است. ربات عکس را از یک پیام‌رسان به دیگری نمی‌برد؛ اگر لازم است از { $name } بخواهید آن را برایتان بفرستد.

## Choosing a guarantor among many members: a typed name.
fund-loan-guarantor-search = اینجا { $shown } نفر اول آمده‌اند؛ اگر ضامن شما در فهرست نیست، بخشی از نامش را بنویسید.
fund-loan-guarantor-found = اعضایی که نامشان «{ $typed }» دارد ({ $count } نفر). یکی را انتخاب کنید یا نام دیگری بنویسید.
fund-loan-guarantor-not-found = عضوی از صندوق با نام «{ $typed }» پیدا نشد. بخش دیگری از نام را بنویسید یا از فهرست انتخاب کنید.
