## Supporters (حامی, issue 13): the leader's choice to reach them with a gathering or an
## announcement, a supporter's own card of a center and leaving it (docs/charity.md).
supporters-btn-no = 🤝 حامیان هم ببینند: خیر
supporters-btn-yes = 🤝 حامیان هم ببینند: بله
supporters-preview-no = 🤝 این کانون { $count } حامی دارد؛ این پیام برای آن‌ها فرستاده نمی‌شود مگر «حامیان هم ببینند» را «بله» کنید.
supporters-preview-yes = 🤝 این پیام برای { $count } حامی کانون هم فرستاده می‌شود.
supporter-card =
    🤝 شما حامی «{ $center }» هستید (از { $date }).
    حامی عضو کانون نیست؛ پویش‌های نیکوکارانه‌ی کانون و گزارش پایانی آن‌ها برای شما فرستاده می‌شود.
supporter-btn-leave = 🚪 ترک حمایت
supporter-confirm-leave = آیا می‌خواهید حمایت از «{ $center }» را ترک کنید؟ پس از آن پیام‌های این کانون برای شما فرستاده نمی‌شود. قول‌هایی که پیش‌تر داده‌اید همان‌طور ثبت می‌ماند.
supporter-btn-confirm-leave = بله، حمایت را ترک می‌کنم
supporter-left = شما دیگر حامی «{ $center }» نیستید. اگر دوباره خواستید، از راهبر کانون لینک دعوت تازه بخواهید.
supporter-kept = چیزی تغییر نکرد.
supporter-left-notice = 🤝 { $name } دیگر حامی «{ $center }» نیست.
supporter-error-not_supporter = شما حامی این کانون نیستید.
