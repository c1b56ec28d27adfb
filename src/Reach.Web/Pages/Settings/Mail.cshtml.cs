using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Outreach;

namespace Reach.Web.Pages.Settings;

/// <summary>The user's own mailbox: SMTP to send sequence emails, IMAP to see replies; passwords stored encrypted.</summary>
public sealed class MailModel(ReachDb db, OutreachService outreach, MailClient mail) : RecordPage(db)
{
    public MailAccount? Account { get; private set; }

    [BindProperty] public MailForm Form { get; set; } = new();

    public sealed class MailForm
    {
        public string? FromName { get; set; }
        public string? FromAddress { get; set; }
        public string? SmtpHost { get; set; }
        public int SmtpPort { get; set; } = 587;
        public MailSecurity SmtpSecurity { get; set; } = MailSecurity.StartTls;
        public string? SmtpUser { get; set; }
        public string? SmtpPassword { get; set; }
        public string? ImapHost { get; set; }
        public int ImapPort { get; set; } = 993;
        public MailSecurity ImapSecurity { get; set; } = MailSecurity.Tls;
        public string? ImapUser { get; set; }
        public string? ImapPassword { get; set; }
        public int DailyLimit { get; set; } = 200;
    }

    public string? TestResult { get; private set; }
    public bool TestOk { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Form = Account is { } a
            ? new MailForm
            {
                FromName = a.FromName,
                FromAddress = a.FromAddress,
                SmtpHost = a.SmtpHost,
                SmtpPort = a.SmtpPort,
                SmtpSecurity = a.SmtpSecurity,
                SmtpUser = a.SmtpUser,
                ImapHost = a.ImapHost,
                ImapPort = a.ImapPort,
                ImapSecurity = a.ImapSecurity,
                ImapUser = a.ImapUser,
                DailyLimit = a.DailyLimit,
            }
            : new MailForm { FromName = Actor.Name };
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var input = new MailAccountInput
        {
            FromName = Form.FromName,
            FromAddress = Form.FromAddress,
            SmtpHost = Form.SmtpHost,
            SmtpPort = Form.SmtpPort,
            SmtpSecurity = Form.SmtpSecurity,
            SmtpUser = Form.SmtpUser,
            SmtpPassword = Form.SmtpPassword,
            ImapHost = Form.ImapHost,
            ImapPort = Form.ImapPort,
            ImapSecurity = Form.ImapSecurity,
            ImapUser = Form.ImapUser,
            ImapPassword = Form.ImapPassword,
            DailyLimit = Form.DailyLimit,
        };
        if (Actor.UserId is { } userId && await SaveAsync(() => outreach.SaveMailAccountAsync(userId, input, cancellationToken)))
            Notice = "Mailbox saved.";
        (Form.SmtpPassword, Form.ImapPassword) = (null, null);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await OnGetAsync(cancellationToken);
        if (Account is null)
        {
            TestResult = "Save the mailbox first.";
            return Page();
        }
        try
        {
            TestResult = await mail.TestAsync(Account, cancellationToken);
            TestOk = true;
        }
        catch (MailConnectionException failed)
        {
            TestResult = failed.Message;
        }
        return Page();
    }

    async Task LoadAsync(CancellationToken cancellationToken) =>
        Account = await Db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == Actor.UserId, cancellationToken);
}
