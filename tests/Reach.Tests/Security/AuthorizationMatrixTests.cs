using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Reach.Access;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Security;

/// <summary>
/// Every operation of the OpenAPI document and every page handler that changes data, asked by each role about a record
/// the owner rep holds, against the answer written in <see cref="Api"/> and <see cref="Pages"/>. A new endpoint or page
/// handler without a row fails <see cref="EveryOperationOfTheOpenApiDocumentHasARow"/> or
/// <see cref="EveryPostHandlerOfThePagesHasARow"/>: access is decided when it is added, not found out later.
/// </summary>
public abstract partial class AuthorizationMatrixTests(ReachServer server)
{
    // The columns of both tables, in this order.
    //   admin      an admin
    //   manager    the manager of the owner's team
    //   other-mgr  the manager of another team
    //   owner      the rep who owns the records (accounts, contacts, leads, deals, activities, sequences, drips…)
    //   other-rep  another rep of the owner's own team
    //   read-only  a read-only API token of the owner (the API only: pages have sessions, not tokens)
    //   none       no token, no session
    // An answer is a status code, or "ok": past access control — 2xx, or a 4xx about the input (400, 409, 412, 422, 428)
    // where the request's body is not one the operation accepts. Pages answer "in" for a redirect to the sign-in page,
    // "den" for one to /denied (a page's policy refused the role), 302 for any other redirect (done, back to the list).
    static readonly string[] Roles = ["admin", "manager", "other-mgr", "owner", "other-rep", "read-only", "none"];

    // operation                                               admin manager other-mgr owner other-rep read-only none | body ($name: a record of the world)
    static readonly string[] Api =
    [
        // Anyone may ask for a token (the wrong password the matrix gives is refused); a read-only token may not start anything.
        "POST   /api/v1/auth/tokens                           | 401 401 401 401 401 403 401 | {\"email\":\"nobody-$unique@test.example\",\"password\":\"not the right one\",\"name\":\"x\"}",
        "POST   /api/v1/auth/invite                           | ok  ok  ok  ok  ok  403 ok  | {\"userId\":\"$user\",\"token\":\"made-up\",\"password\":\"violet tractor under the lamp\"}",
        "GET    /api/v1/me                                    | ok  ok  ok  ok  ok  ok  401 |",
        // The matrix gives a wrong current password (the right one would end its own tokens): 400 past access.
        "POST   /api/v1/me/password                           | ok  ok  ok  ok  ok  403 401 | {\"currentPassword\":\"not the right one\",\"newPassword\":\"violet tractor under the lamp\"}",
        "PUT    /api/v1/me/away                               | ok  ok  ok  ok  ok  403 401 | {\"away\":false}",
        "GET    /api/v1/users                                 | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/users                                 | ok  403 403 403 403 403 401 | {\"email\":\"new-$unique@test.example\",\"name\":\"New User\"}",
        "PATCH  /api/v1/users/{id}                            | ok  403 403 403 403 403 401 | {\"name\":\"Renamed User\"}",
        "POST   /api/v1/users/{id}/reset-password             | ok  403 403 403 403 403 401 |",
        "GET    /api/v1/tokens                                | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/tokens                                | ok  ok  ok  ok  ok  403 401 | {\"name\":\"matrix\"}",
        // One's own tokens only, admins too: an admin disables the user instead.
        "DELETE /api/v1/tokens/{id}                           | 404 404 404 ok  404 403 401 |",
        "GET    /api/v1/teams                                 | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/teams                                 | ok  403 403 403 403 403 401 | {\"name\":\"Team $unique\"}",
        "GET    /api/v1/teams/{id}                            | ok  ok  ok  ok  ok  ok  401 |",
        "PATCH  /api/v1/teams/{id}                            | ok  403 403 403 403 403 401 | {\"name\":\"Team $unique\"}",
        "DELETE /api/v1/teams/{id}                            | ok  403 403 403 403 403 401 |",
        "GET    /api/v1/settings                              | ok  ok  ok  ok  ok  ok  401 |",
        "PATCH  /api/v1/settings                              | ok  403 403 403 403 403 401 | {\"name\":\"Matrix workspace\"}",
        "GET    /api/v1/accounts                              | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/accounts                              | ok  ok  ok  ok  ok  403 401 | {\"name\":\"Account $unique\"}",
        "GET    /api/v1/accounts/{id}                         | ok  ok  ok  ok  ok  ok  401 |",
        "PATCH  /api/v1/accounts/{id}                         | ok  ok  403 ok  403 403 401 | {\"name\":\"Renamed $unique\"}",
        "DELETE /api/v1/accounts/{id}                         | ok  ok  403 ok  403 403 401 |",
        "POST   /api/v1/accounts/{id}/restore                 | ok  ok  403 ok  403 403 401 |",
        "GET    /api/v1/contacts                              | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/contacts                              | ok  ok  ok  ok  ok  403 401 | {\"firstName\":\"Cora\",\"email\":\"cora-$unique@test.example\"}",
        "GET    /api/v1/contacts/{id}                         | ok  ok  404 ok  404 ok  401 |",
        "PATCH  /api/v1/contacts/{id}                         | ok  ok  404 ok  404 403 401 | {\"firstName\":\"Renamed\"}",
        "DELETE /api/v1/contacts/{id}                         | ok  ok  404 ok  404 403 401 |",
        "POST   /api/v1/contacts/{id}/restore                 | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/contacts/{id}/shares                  | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/contacts/{id}/shares                  | ok  ok  404 ok  404 403 401 | {\"userId\":\"$viewer\"}",
        "DELETE /api/v1/contacts/{id}/shares/{userId}         | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/contacts/{id}/personal-data           | ok  403 403 403 403 403 401 |",
        "POST   /api/v1/contacts/{id}/erase                   | ok  403 403 403 403 403 401 |",
        "GET    /api/v1/leads                                 | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/leads                                 | ok  ok  ok  ok  ok  403 401 | {\"firstName\":\"Lena\",\"email\":\"lena-$unique@test.example\"}",
        // Only a lead-capture token (a website form's) captures; InboundLeadsApiTests checks it and that it can do nothing else.
        "POST   /api/v1/leads/capture                         | 403 403 403 403 403 403 401 | {\"firstName\":\"Web\"}",
        "GET    /api/v1/leads/{id}                            | ok  ok  404 ok  404 ok  401 |",
        "PATCH  /api/v1/leads/{id}                            | ok  ok  404 ok  404 403 401 | {\"firstName\":\"Renamed\"}",
        "DELETE /api/v1/leads/{id}                            | ok  ok  404 ok  404 403 401 |",
        "POST   /api/v1/leads/{id}/restore                    | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/leads/{id}/shares                     | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/leads/{id}/shares                     | ok  ok  404 ok  404 403 401 | {\"userId\":\"$viewer\"}",
        "DELETE /api/v1/leads/{id}/shares/{userId}            | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/deals                                 | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/deals                                 | ok  ok  ok  ok  ok  403 401 | {\"name\":\"Deal $unique\",\"amount\":1000,\"currency\":\"EUR\",\"channel\":\"inside\",\"accountId\":\"$account\"}",
        "GET    /api/v1/deals/{id}                            | ok  ok  404 ok  404 ok  401 |",
        "PATCH  /api/v1/deals/{id}                            | ok  ok  404 ok  404 403 401 | {\"name\":\"Renamed\",\"amount\":5,\"currency\":\"EUR\"}",
        "DELETE /api/v1/deals/{id}                            | ok  ok  404 ok  404 403 401 |",
        "POST   /api/v1/deals/{id}/restore                    | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/deals/{id}/shares                     | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/deals/{id}/shares                     | ok  ok  404 ok  404 403 401 | {\"userId\":\"$viewer\"}",
        "DELETE /api/v1/deals/{id}/shares/{userId}            | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/deals/{id}/history                    | ok  ok  404 ok  404 ok  401 |",
        "GET    /api/v1/deals/{id}/contacts                   | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/deals/{id}/contacts                   | ok  ok  404 ok  404 403 401 | {\"contactId\":\"$contact\",\"role\":\"champion\"}",
        "PATCH  /api/v1/deals/{id}/contacts/{contactId}       | ok  ok  404 ok  404 403 401 | {\"role\":\"blocker\"}",
        "DELETE /api/v1/deals/{id}/contacts/{contactId}       | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/deals/{id}/line-items                 | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/deals/{id}/line-items                 | ok  ok  404 ok  404 403 401 | {\"productId\":\"$product\",\"quantity\":2}",
        "PATCH  /api/v1/deals/{id}/line-items/{itemId}        | ok  ok  404 ok  404 403 401 | {\"productId\":\"$product\",\"quantity\":3}",
        "DELETE /api/v1/deals/{id}/line-items/{itemId}        | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/lost-reasons                          | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/lost-reasons                          | ok  403 403 403 403 403 401 | {\"name\":\"Reason $unique\"}",
        "PATCH  /api/v1/lost-reasons/{id}                     | ok  403 403 403 403 403 401 | {\"name\":\"Reason $unique\"}",
        "DELETE /api/v1/lost-reasons/{id}                     | ok  403 403 403 403 403 401 |",
        // The playbook: read by everyone, written by managers and admins (any team's: it is the workspace's).
        "GET    /api/v1/playbook                              | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/playbook                              | ok  ok  ok  403 403 403 401 | {\"kind\":\"script\",\"title\":\"Script $unique\"}",
        "GET    /api/v1/playbook/{id}                         | ok  ok  ok  ok  ok  ok  401 |",
        "PATCH  /api/v1/playbook/{id}                         | ok  ok  ok  403 403 403 401 | {\"title\":\"Script $unique\"}",
        "DELETE /api/v1/playbook/{id}                         | ok  ok  ok  403 403 403 401 |",
        "GET    /api/v1/playbook/{id}/versions                | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/playbook/{id}/versions/{version}      | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/deals/{id}/playbook                   | ok  ok  404 ok  404 ok  401 |",
        "GET    /api/v1/playbook/matrix                       | ok  ok  ok  ok  ok  ok  401 |",
        "PUT    /api/v1/playbook/matrix                       | ok  ok  ok  403 403 403 401 | {\"criteria\":[\"Price\"],\"competitors\":[{\"name\":\"Rival $unique\"}]}",
        "GET    /api/v1/playbook/checklist                    | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/deals/{id}/cast                       | ok  ok  404 ok  404 ok  401 |",
        // A deal's documents: made and sent by whoever may change the deal, read by whoever may read it.
        "GET    /api/v1/deals/{id}/documents                  | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/deals/{id}/documents                  | ok  ok  404 ok  404 403 401 | {\"templateId\":\"$dealTemplate\"}",
        "GET    /api/v1/deals/{id}/documents/{documentId}     | ok  ok  404 ok  404 ok  401 |",
        "GET    /api/v1/deals/{id}/documents/{documentId}/pdf | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/deals/{id}/documents/{documentId}/send | ok  ok  404 ok  404 403 401 | {\"to\":\"buyer@test.example\"}",
        // A rep's weekly log: written by the rep, read by their managers; promoted by managers and admins.
        "GET    /api/v1/weekly-logs                           | ok  ok  ok  ok  ok  ok  401 |",
        "PUT    /api/v1/weekly-logs/mine                      | ok  ok  ok  ok  ok  403 401 | {\"worked\":\"Short e-mails\"}",
        "GET    /api/v1/weekly-logs/{id}                      | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/weekly-logs/{id}/promote              | ok  ok  404 403 403 403 401 | {\"kind\":\"difficult_qa\",\"title\":\"Insight $unique\"}",
        "GET    /api/v1/products                              | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/products                              | ok  403 403 403 403 403 401 | {\"name\":\"Product $unique\",\"listPrice\":100,\"currency\":\"EUR\"}",
        "GET    /api/v1/products/{id}                         | ok  ok  ok  ok  ok  ok  401 |",
        "PATCH  /api/v1/products/{id}                         | ok  403 403 403 403 403 401 | {\"name\":\"Product $unique\",\"listPrice\":1,\"currency\":\"EUR\"}",
        "DELETE /api/v1/products/{id}                         | ok  403 403 403 403 403 401 |",
        "POST   /api/v1/products/{id}/restore                 | ok  403 403 403 403 403 401 |",
        "GET    /api/v1/activities                            | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/activities                            | ok  ok  ok  ok  ok  403 401 | {\"type\":\"note\",\"subject\":\"Note $unique\",\"accountId\":\"$account\"}",
        "GET    /api/v1/activities/{id}                       | ok  ok  404 ok  404 ok  401 |",
        "PATCH  /api/v1/activities/{id}                       | ok  ok  404 ok  404 403 401 | {\"type\":\"note\",\"subject\":\"Renamed\"}",
        "DELETE /api/v1/activities/{id}                       | ok  ok  404 ok  404 403 401 |",
        "POST   /api/v1/activities/{id}/restore               | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/activities/{id}/shares                | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/activities/{id}/shares                | ok  ok  404 ok  404 403 401 | {\"userId\":\"$viewer\"}",
        "DELETE /api/v1/activities/{id}/shares/{userId}       | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/pipelines                             | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/pipelines                             | ok  403 403 403 403 403 401 | {\"name\":\"Pipeline $unique\",\"channel\":\"field\"}",
        "GET    /api/v1/pipelines/{id}                        | ok  ok  ok  ok  ok  ok  401 |",
        "PATCH  /api/v1/pipelines/{id}                        | ok  403 403 403 403 403 401 | {\"name\":\"Pipeline $unique\"}",
        "DELETE /api/v1/pipelines/{id}                        | ok  403 403 403 403 403 401 |",
        "POST   /api/v1/pipelines/{id}/stages                 | ok  403 403 403 403 403 401 | {\"name\":\"Stage $unique\",\"probability\":0.5}",
        "PATCH  /api/v1/pipelines/{id}/stages/{stageId}       | ok  403 403 403 403 403 401 | {\"name\":\"Stage $unique\"}",
        "DELETE /api/v1/pipelines/{id}/stages/{stageId}       | ok  403 403 403 403 403 401 |",
        "POST   /api/v1/plan                                  | ok  ok  ok  ok  ok  ok  401 | {}",
        "GET    /api/v1/forecast                              | ok  ok  ok  ok  ok  ok  401 |",
        // Without an owner column or ?owner=, imported records go to an admin, which only an admin may give them.
        "POST   /api/v1/imports?as=accounts                   | ok  403 403 403 403 403 401 | csv:name\nImported $unique\n",
        "GET    /api/v1/exports/{entity}                      | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/reports/{kind}                        | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/coach                                 | ok  ok  ok  ok  ok  ok  401 | {\"body\":\"Hi, have 5 mins?\"}",
        "POST   /api/v1/outreach/run                          | ok  ok  ok  403 403 403 401 |",
        "GET    /api/v1/plans                                 | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/plans                                 | ok  ok  ok  403 403 403 401 | {\"name\":\"Plan $unique\",\"yaml\":\"$planYaml\"}",
        "GET    /api/v1/plans/active                          | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/plans/{id}                            | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/plans/{id}/activate                   | ok  ok  ok  403 403 403 401 |",
        "GET    /api/v1/audit                                 | ok  ok  ok  403 403 403 401 |",
        "GET    /api/v1/metrics                               | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/metrics/deals                         | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/metrics/catalogue                     | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/targets                               | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/targets                               | ok  ok  403 403 403 403 401 | {\"metric\":\"deals_won\",$period,\"userId\":\"$owner\",\"value\":4}",
        // A rep reads their own and their team's targets, not a teammate's own.
        "GET    /api/v1/targets/{id}                          | ok  ok  404 ok  404 ok  401 |",
        "PATCH  /api/v1/targets/{id}                          | ok  ok  404 403 404 403 401 | {\"metric\":\"deals_won\",$period,\"userId\":\"$owner\",\"value\":5}",
        "DELETE /api/v1/targets/{id}                          | ok  ok  404 403 404 403 401 |",
        "POST   /api/v1/targets/{id}/restore                  | ok  ok  404 403 404 403 401 |",
        "GET    /api/v1/costs                                 | ok  ok  ok  403 403 403 401 |",
        "POST   /api/v1/costs                                 | ok  ok  ok  403 403 403 401 | {\"channel\":\"inside\",$period,\"amount\":100,\"currency\":\"EUR\"}",
        "GET    /api/v1/costs/{id}                            | ok  ok  ok  403 403 403 401 |",
        "PATCH  /api/v1/costs/{id}                            | ok  ok  ok  403 403 403 401 | {\"channel\":\"inside\",$period,\"amount\":200,\"currency\":\"EUR\"}",
        "DELETE /api/v1/costs/{id}                            | ok  ok  ok  403 403 403 401 |",
        "POST   /api/v1/costs/{id}/restore                    | ok  ok  ok  403 403 403 401 |",
        "POST   /api/v1/costs/import                          | ok  ok  ok  403 403 403 401 | csv:month,channel,amount\n2031-03,inside,100\n",
        "GET    /api/v1/costs/plan                            | ok  ok  ok  403 403 403 401 |",
        "POST   /api/v1/costs/plan                            | ok  ok  ok  403 403 403 401 |",
        "GET    /api/v1/exchange-rates                        | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/exchange-rates                        | ok  403 403 403 403 403 401 | {\"currency\":\"USD\",\"rate\":1.1,\"validFrom\":\"$date\"}",
        "GET    /api/v1/exchange-rates/{id}                   | ok  ok  ok  ok  ok  ok  401 |",
        "PATCH  /api/v1/exchange-rates/{id}                   | ok  403 403 403 403 403 401 | {\"currency\":\"USD\",\"rate\":1.2,\"validFrom\":\"$date\"}",
        "DELETE /api/v1/exchange-rates/{id}                   | ok  403 403 403 403 403 401 |",
        "POST   /api/v1/exchange-rates/{id}/restore           | ok  403 403 403 403 403 401 |",
        "GET    /api/v1/import-mappings                       | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/import-mappings                       | ok  ok  ok  ok  ok  403 401 | {\"name\":\"Mapping $unique\",\"entity\":\"contacts\",\"format\":\"csv\",\"map\":{\"E-Mail\":\"email\"}}",
        // Import mappings are shared by the workspace; only their owner (or manager) changes one.
        "GET    /api/v1/import-mappings/{id}                  | ok  ok  ok  ok  ok  ok  401 |",
        "PATCH  /api/v1/import-mappings/{id}                  | ok  ok  403 ok  403 403 401 | {\"name\":\"Mapping $unique\",\"entity\":\"contacts\",\"format\":\"csv\",\"map\":{\"Mail\":\"email\"}}",
        "DELETE /api/v1/import-mappings/{id}                  | ok  ok  403 ok  403 403 401 |",
        "POST   /api/v1/import-mappings/{id}/restore          | ok  ok  403 ok  403 403 401 |",
        "GET    /api/v1/report-schedules                      | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/report-schedules                      | ok  ok  ok  ok  ok  403 401 | {\"kind\":\"weekly\",\"recipients\":[\"board@test.example\"]}",
        "GET    /api/v1/report-schedules/{id}                 | ok  404 404 ok  404 ok  401 |",
        "DELETE /api/v1/report-schedules/{id}                 | ok  404 404 ok  404 403 401 |",
        "POST   /api/v1/report-schedules/{id}/pause           | ok  404 404 ok  404 403 401 |",
        "POST   /api/v1/report-schedules/{id}/resume          | ok  404 404 ok  404 403 401 |",
        // Sent from the owner's mailbox, which the matrix's owner has not connected: 502 names the mail server.
        "POST   /api/v1/report-schedules/{id}/send            | 502 404 404 502 404 403 401 |",
        "GET    /api/v1/sequences                             | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/sequences                             | ok  ok  ok  ok  ok  403 401 | $sequenceBody",
        "GET    /api/v1/sequences/{id}                        | ok  ok  404 ok  404 ok  401 |",
        "PUT    /api/v1/sequences/{id}                        | ok  ok  404 ok  404 403 401 | $sequenceBody",
        "POST   /api/v1/sequences/{id}/pause                  | ok  ok  404 ok  404 403 401 |",
        "POST   /api/v1/sequences/{id}/resume                 | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/sequences/{id}/enrolments             | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/sequences/{id}/enrolments             | ok  ok  404 ok  404 403 401 | {\"contactIds\":[\"$contact\"]}",
        "GET    /api/v1/enrolments/{id}                       | ok  ok  404 ok  404 ok  401 |",
        "POST   /api/v1/enrolments/{id}                       | ok  ok  404 ok  404 403 401 | {\"action\":\"pause\"}",
        // One's own mailbox; the matrix's users have none.
        "GET    /api/v1/mail-account                          | 404 404 404 404 404 404 401 |",
        "PUT    /api/v1/mail-account                          | ok  ok  ok  ok  ok  403 401 | {\"fromName\":\"Matrix\",\"fromAddress\":\"matrix@test.example\",\"smtpHost\":\"127.0.0.1\",\"smtpPort\":2525}",
        "POST   /api/v1/mail-account/test                     | ok  ok  ok  ok  ok  403 401 |",
        "GET    /api/v1/drips                                 | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/drips                                 | ok  ok  ok  ok  ok  403 401 | $dripBody",
        "GET    /api/v1/drips/{id}                            | ok  ok  404 ok  404 ok  401 |",
        "PUT    /api/v1/drips/{id}                            | ok  ok  404 ok  404 403 401 | $dripBody",
        "POST   /api/v1/drips/{id}/pause                      | ok  ok  404 ok  404 403 401 |",
        "POST   /api/v1/drips/{id}/resume                     | ok  ok  404 ok  404 403 401 |",
        "GET    /api/v1/drips/{id}/audience                   | ok  ok  404 ok  404 ok  401 |",
        "GET    /api/v1/drips/{id}/sends                      | ok  ok  404 ok  404 ok  401 |",
        // The deal-size guardrail's list is a manager's view; a rep reads the flag on each deal.
        "GET    /api/v1/expansion/oversized-deals             | ok  ok  ok  403 403 403 401 |",
        // The land-and-expand report and an account's story read the deals the caller may see, like every list.
        "GET    /api/v1/expansion/land-and-expand             | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/expansion/accounts/{id}               | ok  ok  ok  ok  ok  ok  401 |",
        // The reference pool is read by everyone; consent is recorded by whoever answers for the account; anyone may ask
        // (the matrix's account is not a reference, and a withdrawal of none answers 404).
        "GET    /api/v1/references                            | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/references/document                   | ok  ok  ok  ok  ok  ok  401 |",
        "POST   /api/v1/references/{id}/asks                  | ok  ok  ok  ok  ok  403 401 | {\"prospectId\":\"$prospect\",\"kind\":\"logo\"}",
        "GET    /api/v1/accounts/{id}/reference               | 404 404 404 404 404 404 401 |",
        "PUT    /api/v1/accounts/{id}/reference               | ok  ok  403 ok  403 403 401 | {\"agreedBy\":\"Matrix $unique\",\"logo\":true}",
        "DELETE /api/v1/accounts/{id}/reference               | 404 404 404 404 404 403 401 |",
        // Only a usage token (the product's, an admin's) sends events; UsageApiTests checks it and that it can do nothing
        // else. The accounts that crossed the threshold and the candidate domains are a manager's view; an account's usage
        // is read by everyone, as the account is.
        "POST   /api/v1/usage                                 | 403 403 403 403 403 403 401 | []",
        "GET    /api/v1/usage/accounts                        | ok  ok  ok  403 403 403 401 |",
        "GET    /api/v1/usage/accounts/{id}                   | ok  ok  ok  ok  ok  ok  401 |",
        "GET    /api/v1/usage/candidates                      | ok  ok  ok  403 403 403 401 |",
    ];

    // page handler (POST)                                     admin manager other-mgr owner other-rep none
    static readonly string[] Pages =
    [
        "POST /Accounts/Detail?handler=Log                    | 200 200 200 200 200 in  |",
        "POST /Accounts/Edit                                  | 200 200 403 200 403 in  |",
        "POST /Expansion/References?handler=Ask               | 302 302 302 302 302 in  |",
        "POST /Expansion/References?handler=Consent           | 404 404 404 404 404 in  |",
        "POST /Expansion/References?handler=Withdraw          | 404 404 404 404 404 in  |",
        "POST /Admin/LostReasons?handler=Delete               | 302 403 403 403 403 in  |",
        "POST /Admin/LostReasons?handler=Save                 | 200 403 403 403 403 in  |",
        "POST /Admin/Pipelines?handler=AddStage               | 200 403 403 403 403 in  |",
        "POST /Admin/Pipelines?handler=Create                 | 200 403 403 403 403 in  |",
        "POST /Admin/Pipelines?handler=Delete                 | 200 403 403 403 403 in  |",
        "POST /Admin/Pipelines?handler=DeleteStage            | 200 403 403 403 403 in  |",
        "POST /Admin/Pipelines?handler=Move                   | 200 403 403 403 403 in  |",
        "POST /Admin/Pipelines?handler=Rename                 | 200 403 403 403 403 in  |",
        "POST /Admin/Pipelines?handler=Stage                  | 200 403 403 403 403 in  |",
        "POST /Admin/Products?handler=Create                  | 200 403 403 403 403 in  |",
        "POST /Admin/Products?handler=Delete                  | 200 403 403 403 403 in  |",
        "POST /Admin/Products?handler=Restore                 | 200 403 403 403 403 in  |",
        "POST /Admin/Products?handler=Save                    | 200 403 403 403 403 in  |",
        "POST /Admin/Settings                                 | 200 403 403 403 403 in  |",
        "POST /Admin/Teams?handler=Change                     | 200 403 403 403 403 in  |",
        "POST /Admin/Teams?handler=Create                     | 200 403 403 403 403 in  |",
        "POST /Admin/Teams?handler=Delete                     | 200 403 403 403 403 in  |",
        "POST /Admin/Teams?handler=Member                     | 200 403 403 403 403 in  |",
        "POST /Admin/Teams?handler=RemoveMember               | 200 403 403 403 403 in  |",
        "POST /Admin/Users?handler=Active                     | 200 403 403 403 403 in  |",
        "POST /Admin/Users?handler=Change                     | 200 403 403 403 403 in  |",
        "POST /Admin/Users?handler=Invite                     | 200 403 403 403 403 in  |",
        "POST /Admin/Users?handler=Reset                      | 200 403 403 403 403 in  |",
        "POST /Coach                                          | 200 200 200 200 200 in  |",
        "POST /Coach?handler=Score                            | 200 200 200 200 200 in  |",
        "POST /Playbook/Edit                                  | 200 200 200 403 403 in  |",
        "POST /Playbook/Item?handler=Delete                   | 302 302 302 403 403 in  |",
        "POST /Playbook/Matrix                                | 302 302 302 403 403 in  |",
        // One's own week (the empty form is refused naming the field); promoting is managers' and admins', the empty form names no log.
        "POST /Playbook/Week                                  | 200 200 200 200 200 in  |",
        "POST /Playbook/Week?handler=Promote                  | 404 404 404 403 403 in  |",
        "POST /Contacts/Detail?handler=Enrol                  | 200 200 404 200 404 in  |",
        "POST /Contacts/Detail?handler=Log                    | 200 200 404 200 404 in  |",
        "POST /Contacts/Edit                                  | 200 200 404 200 404 in  |",
        "POST /Costs?handler=Create                           | 200 200 200 403 403 in  |",
        "POST /Costs?handler=Delete                           | 404 404 404 403 403 in  |",
        "POST /Costs?handler=FromPlan                         | 200 200 200 403 403 in  |",
        "POST /Costs?handler=Import                           | 200 200 200 403 403 in  |",
        "POST /Deals/Detail?handler=Cast                      | 200 200 404 200 404 in  |",
        "POST /Deals/Detail?handler=Delete                    | 302 302 404 302 404 in  |",
        "POST /Deals/Detail?handler=Line                      | 200 200 404 200 404 in  |",
        "POST /Deals/Detail?handler=Log                       | 200 200 404 200 404 in  |",
        "POST /Deals/Detail?handler=Owner                     | 302 403 404 403 404 in  |",
        "POST /Deals/Detail?handler=Restore                   | 302 302 404 302 404 in  |",
        "POST /Deals/Detail?handler=Save                      | 200 200 404 200 404 in  |",
        "POST /Deals/Detail?handler=Uncast                    | 302 302 404 302 404 in  |",
        "POST /Deals/Detail?handler=Unline                    | 302 302 404 302 404 in  |",
        "POST /Deals/Documents?handler=Generate               | 302 302 404 302 404 in  |",
        "POST /Deals/Documents?handler=Send                   | 404 404 404 404 404 in  |",
        "POST /Deals/New                                      | 200 200 200 200 200 in  |",
        "POST /Drips/Detail?handler=Pause                     | 302 302 404 302 404 in  |",
        "POST /Drips/Detail?handler=Save                      | 200 200 404 200 404 in  |",
        "POST /Drips/Detail?handler=SendNow                   | 200 200 404 den den in  |",
        "POST /Drips/Index                                    | 200 200 200 200 200 in  |",
        "POST /Imports/Index                                  | 400 400 400 400 400 in  |",
        "POST /Index?handler=Away                             | 302 302 302 302 302 in  |",
        "POST /Imports/Index?handler=Delete                   | 404 404 404 404 404 in  |",
        "POST /Imports/Index?handler=Rename                   | 404 404 404 404 404 in  |",
        "POST /Imports/Run                                    | 404 404 404 404 404 in  |",
        "POST /Invite                                         | 200 200 200 200 200 200 |",
        "POST /Leads/Detail?handler=Convert                   | 302 302 404 302 404 in  |",
        "POST /Leads/Detail?handler=Log                       | 200 200 404 200 404 in  |",
        "POST /Leads/Edit                                     | 200 200 404 200 404 in  |",
        "POST /Password                                       | 200 200 200 200 200 in  |",
        "POST /Pipeline?handler=Move                          | 404 404 404 404 404 in  |",
        "POST /Planner?handler=Activate                       | 404 404 404 404 404 in  |",
        "POST /Planner?handler=Download                       | 200 200 200 200 200 in  |",
        "POST /Planner?handler=Evaluate                       | 200 200 200 200 200 in  |",
        "POST /Planner?handler=Save                           | 200 200 200 200 200 in  |",
        "POST /Planner?handler=Upload                         | 200 200 200 200 200 in  |",
        "POST /Planner?handler=Yaml                           | 200 200 200 200 200 in  |",
        "POST /Records?handler=Activity                       | 404 404 404 404 404 in  |",
        "POST /Records?handler=Delete                         | 302 302 302 302 302 in  |",
        "POST /Records?handler=Done                           | 404 404 404 404 404 in  |",
        "POST /Records?handler=Enrol                          | 302 302 302 302 302 in  |",
        "POST /Records?handler=Export                         | 302 302 302 302 302 in  |",
        "POST /Records?handler=Owner                          | 302 302 302 302 302 in  |",
        "POST /Records?handler=Restore                        | 302 302 302 302 302 in  |",
        "POST /Records?handler=Stage                          | 302 302 302 302 302 in  |",
        "POST /Records?handler=Task                           | 302 302 302 302 302 in  |",
        "POST /ReportEmails?handler=Create                    | 200 200 200 200 200 in  |",
        "POST /ReportEmails?handler=Delete                    | 404 404 404 404 404 in  |",
        "POST /ReportEmails?handler=Pause                     | 404 404 404 404 404 in  |",
        "POST /ReportEmails?handler=Resume                    | 404 404 404 404 404 in  |",
        "POST /ReportEmails?handler=Send                      | 404 404 404 404 404 in  |",
        "POST /Sequences/Detail?handler=Enrol                 | 200 200 404 200 404 in  |",
        "POST /Sequences/Detail?handler=Enrolment             | 404 404 404 404 404 in  |",
        "POST /Sequences/Detail?handler=Pause                 | 302 302 404 302 404 in  |",
        "POST /Sequences/Detail?handler=Save                  | 200 200 404 200 404 in  |",
        "POST /Sequences/Detail?handler=SendNow               | 200 200 404 den den in  |",
        "POST /Sequences/Index                                | 200 200 200 200 200 in  |",
        "POST /Settings/Mail?handler=Save                     | 200 200 200 200 200 in  |",
        "POST /Settings/Mail?handler=Test                     | 200 200 200 200 200 in  |",
        "POST /Settings/Tokens?handler=Create                 | 200 200 200 200 200 in  |",
        "POST /Settings/Tokens?handler=Revoke                 | 404 404 404 404 404 in  |",
        "POST /SignIn                                         | 200 200 200 200 200 200 |",
        "POST /SignOut                                        | in  in  in  in  in  in  |",
        "POST /Status                                         | 200 200 200 200 200 200 |",
        "POST /Targets?handler=Change                         | 404 404 404 404 404 in  |",
        "POST /Targets?handler=Create                         | 200 200 200 200 200 in  |",
        "POST /Targets?handler=Delete                         | 404 404 404 404 404 in  |",
        "POST /Trash?handler=Empty                            | 302 302 302 302 302 in  |",
    ];

    const string SequenceBody = """{"name":"Sequence $unique","timeZone":"UTC","windowStartHour":0,"windowEndHour":24,"steps":[{"kind":"email","delayDays":0,"subject":"Hi {{contact.first_name}}","body":"Hi {{contact.first_name}}, have 5 mins? Thx."}]}""";
    const string DripBody = """{"name":"Drip $unique","every":3,"unit":"businessDays","minimumGapDays":1,"timeZone":"UTC","windowStartHour":0,"windowEndHour":24,"contactIds":["$contact"],"pieces":[{"subject":"A note","body":"Hi {{contact.first_name}}, a short note."}]}""";
    const string GoodPassword = "violet tractor under the lamp";

    sealed record Row(string Method, string Path, string[] Expected, string Body)
    {
        public string Operation => $"{Method} {(Path.Contains("?handler=", StringComparison.Ordinal) ? Path : Path.Split('?')[0])}";
    }

    static Row Parse(string line)
    {
        var parts = line.Split('|', 3);
        var operation = parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new Row(operation[0], operation[1], parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries), parts[2].Trim());
    }

    [Fact]
    public async Task EveryOperationOfTheOpenApiDocumentHasARow()
    {
        var document = JsonNode.Parse(await server.Http.GetStringAsync("/openapi/v1.json"))!;
        var documented = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => op.Key).Where(m => m is "get" or "post" or "put" or "patch" or "delete")
                .Select(method => $"{method.ToUpperInvariant()} {path.Key}"))
            .ToHashSet();
        var rows = Api.Select(line => Parse(line).Operation).ToList();

        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.True(documented.SetEquals(rows),
            "Operations without a row (add one to AuthorizationMatrixTests.Api, deciding who may call it): " + string.Join(", ", documented.Except(rows))
            + "; rows without an operation: " + string.Join(", ", rows.Except(documented)));
        Assert.All(Api, line => Assert.Equal(Roles.Length, Parse(line).Expected.Length));
    }

    [Fact]
    public async Task EveryOperationAnswersEachRoleAsTheTableSays()
    {
        var people = await PeopleAsync();
        using var shared = new World(server, people);
        var wrong = new List<string>();
        foreach (var row in Api.Select(Parse))
        {
            var answers = new string[Roles.Length];
            for (var role = 0; role < Roles.Length; role++)
            {
                // A request that may change something gets records of its own, so what one role did never decides another's answer.
                using var fresh = row.Method == "GET" ? null : new World(server, people);
                var world = fresh ?? shared;
                try
                {
                    using var request = await world.RequestAsync(row.Method, row.Path, row.Body);
                    if (people.Tokens[role] is { } token)
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await world.Anonymous.SendAsync(request);
                    answers[role] = Answer(response.StatusCode, row.Expected[role]);
                }
                catch (Xunit.Sdk.XunitException e)
                {
                    // The matrix could not make what the request is about: a fault of the matrix, listed with the rest.
                    answers[role] = "err";
                    wrong.Add($"{row.Operation} as {Roles[role]}: {e.Message}");
                }
            }
            if (!answers.SequenceEqual(row.Expected))
                wrong.Add($"\"{row.Method,-6} {row.Path,-45} | {string.Join(' ', answers.Select(a => a.PadRight(3)))} | {row.Body}\", expected {string.Join(' ', row.Expected)}");
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} operations answered otherwise (columns: {string.Join(' ', Roles)}):\n" + string.Join('\n', wrong));
    }

    // "ok" when the request got past access control: the answer is not a refusal; a server error is never ok.
    static string Answer(HttpStatusCode status, string expected)
    {
        var code = (int)status;
        var passed = code is >= 200 and < 300 or 400 or 409 or 412 or 422 or 428;
        return expected == "ok" && passed ? "ok" : passed && code is >= 200 and < 300 ? "ok" : code.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task EveryPostHandlerOfThePagesHasARow()
    {
        var handlers = (await PageHandlersAsync()).Select(h => h.Operation).ToList();
        var rows = Pages.Select(line => Parse(line).Operation).ToList();

        Assert.True(handlers.ToHashSet().SetEquals(rows),
            "Page handlers without a row (add one to AuthorizationMatrixTests.Pages): " + string.Join(", ", handlers.Except(rows))
            + "; rows without a handler: " + string.Join(", ", rows.Except(handlers)));
    }

    [Fact]
    public async Task EveryPostHandlerAnswersEachRoleAsTheTableSays()
    {
        var people = await PeopleAsync();
        var routes = (await PageHandlersAsync()).ToDictionary(h => h.Operation, h => h.Route);
        var sessions = new List<HttpClient>();
        foreach (var email in people.Emails)
            sessions.Add(email is null ? Browser() : await SignedInAsync(email));
        var wrong = new List<string>();
        foreach (var line in Pages)
        {
            var row = Parse(line);
            var answers = new List<string>();
            for (var role = 0; role < sessions.Count; role++)
            {
                using var world = new World(server, people);
                var path = await world.PagePathAsync(routes[row.Operation]);
                var handler = row.Path.Split("?handler=") is [_, var name] ? "?handler=" + name : "";
                var form = people.Emails[role] is null ? "/sign-in" : "/Settings/Tokens";
                using var page = await sessions[role].GetAsync(form);
                if (page.StatusCode != HttpStatusCode.OK)
                {
                    // An earlier handler (sign-out, a password change) ended this session: sign in again.
                    sessions[role].Dispose();
                    sessions[role] = await SignedInAsync(people.Emails[role]!);
                }
                var token = AntiforgeryToken().Match(await sessions[role].GetStringAsync(form)).Groups[1].Value;
                using var fields = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
                using var response = await sessions[role].PostAsync(path + handler, fields);
                var code = (int)response.StatusCode;
                var location = response.Headers.Location?.OriginalString ?? "";
                answers.Add(code != 302 ? code.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : location.Contains("/sign-in", StringComparison.OrdinalIgnoreCase) ? "in"
                    : location.Contains("/denied", StringComparison.OrdinalIgnoreCase) ? "den"
                    : "302");
            }
            if (!answers.SequenceEqual(row.Expected))
                wrong.Add($"\"POST   {row.Path,-45} | {string.Join(' ', answers.Select(a => a.PadRight(3)))} |\", expected {string.Join(' ', row.Expected)}");
        }
        foreach (var session in sessions)
            session.Dispose();

        Assert.True(wrong.Count == 0, $"{wrong.Count} page handlers answered otherwise (columns: admin manager other-mgr owner other-rep none):\n" + string.Join('\n', wrong));
    }

    /// <summary>The POST handlers of the app's pages, read from its endpoint data sources: "POST /Deals/Detail?handler=Stage".</summary>
    async Task<List<(string Operation, string Route)>> PageHandlersAsync()
    {
        var handlers = new List<(string Operation, string Route)>();
        var loader = server.Services.GetRequiredService<PageLoader>();
        var pages = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Page: e.Metadata.GetMetadata<PageActionDescriptor>()))
            .Where(e => e.Page is not null)
            .GroupBy(e => e.Page!.ViewEnginePath);
        foreach (var page in pages.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var (endpoint, descriptor) = page.OrderBy(e => e.Endpoint.RoutePattern.RawText!.Length).First();
            var compiled = await loader.LoadAsync(descriptor!, endpoint.Metadata);
            foreach (var handler in compiled.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "Post", StringComparison.OrdinalIgnoreCase)).OrderBy(h => h.Name, StringComparer.Ordinal))
                handlers.Add(($"POST {page.Key}" + (handler.Name is { } name ? "?handler=" + name : ""), "/" + endpoint.RoutePattern.RawText!.TrimStart('/')));
        }
        return handlers;
    }

    HttpClient Browser() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

    async Task<HttpClient> SignedInAsync(string email)
    {
        var browser = Browser();
        var token = AntiforgeryToken().Match(await browser.GetStringAsync("/sign-in")).Groups[1].Value;
        using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("email", email), new("password", GoodPassword)]);
        var response = await browser.PostAsync("/sign-in", form);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    /// <summary>The users of the matrix: one per column, and a viewer whom records are shared with.</summary>
    sealed record People(string?[] Tokens, string?[] Emails, Dictionary<string, string> Ids, string OwnerToken, string AdminToken);

    People? people;

    async Task<People> PeopleAsync()
    {
        if (people is not null)
            return people;
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (admin, adminToken) = await server.AddUserAsync(UserRole.Admin, "Matrix Admin", password: GoodPassword);
        var (manager, managerToken) = await server.AddUserAsync(UserRole.Manager, "Matrix Manager", "Owners " + tag, password: GoodPassword);
        var (otherManager, otherManagerToken) = await server.AddUserAsync(UserRole.Manager, "Matrix Other Manager", "Others " + tag, password: GoodPassword);
        var (owner, ownerToken) = await server.AddUserAsync(UserRole.Rep, "Matrix Owner", "Owners " + tag, password: GoodPassword);
        var (otherRep, otherRepToken) = await server.AddUserAsync(UserRole.Rep, "Matrix Other Rep", "Owners " + tag, password: GoodPassword);
        var (viewer, _) = await server.AddUserAsync(UserRole.Rep, "Matrix Viewer", "Others " + tag);
        string readOnly;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
            var db = scope.ServiceProvider.GetRequiredService<ReachDb>();
            var stored = await db.Users.FindAsync(owner.Id);
            (readOnly, _) = await directory.IssueTokenAsync(stored!, "read-only", TokenScope.Read, null, server.Clock.UtcNow, default);
        }
        using (var adminClient = server.NewClient(adminToken))
        {
            // GET /plans/active answers 404 until a plan is active.
            var plan = new JsonObject { ["name"] = "Matrix plan " + tag, ["yaml"] = Reach.Demo.DemoPlan.Yaml, ["activate"] = true };
            Assert.Equal(HttpStatusCode.Created, (await adminClient.PostAsync("/api/v1/plans", Json.Raw(plan.ToJsonString()))).StatusCode);
        }
        var ids = new Dictionary<string, string>
        {
            ["owner"] = owner.Id.ToString(),
            ["viewer"] = viewer.Id.ToString(),
            ["manager"] = manager.Id.ToString(),
        };
        return people = new People(
            [adminToken, managerToken, otherManagerToken, ownerToken, otherRepToken, readOnly, null],
            [admin.Email, manager.Email, otherManager.Email, owner.Email, otherRep.Email, null],
            ids, ownerToken, adminToken);
    }

    /// <summary>
    /// The records a request is about, made on first use through the API by the owner (their records) or an admin
    /// (settings), so each is what a user would have made.
    /// </summary>
    sealed partial class World(ReachServer server, People people) : IDisposable
    {
        static int dates;
        readonly Dictionary<string, string> made = new(people.Ids);
        readonly HttpClient owner = server.NewClient(people.OwnerToken);
        readonly HttpClient admin = server.NewClient(people.AdminToken);

        public HttpClient Anonymous { get; } = server.NewClient();

        public void Dispose()
        {
            owner.Dispose();
            admin.Dispose();
            Anonymous.Dispose();
        }

        public async Task<HttpRequestMessage> RequestAsync(string method, string template, string body)
        {
            var path = await FillPathAsync(template);
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body.StartsWith("csv:", StringComparison.Ordinal))
                request.Content = new StringContent(Regex.Unescape(await FillAsync(body[4..])), Encoding.UTF8, "text/csv");
            else if (body.Length > 0)
                request.Content = Json.Raw(await FillAsync(body switch { "$sequenceBody" => SequenceBody, "$dripBody" => DripBody, _ => body }));
            return request;
        }

        public async Task<string> PagePathAsync(string route)
        {
            var kind = route.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() switch
            {
                "Accounts" => "account",
                "Contacts" => "contact",
                "Leads" => "lead",
                "Deals" => "deal",
                "Sequences" => "sequence",
                "Drips" => "drip",
                _ => null,
            };
            var id = kind is null ? Guid.NewGuid().ToString() : await GetAsync(kind);
            return IdPattern().Replace(route, id);
        }

        async Task<string> FillPathAsync(string template)
        {
            var segments = template.Split('/');
            for (var i = 0; i < segments.Length; i++)
            {
                var resource = i > 0 ? segments[i - 1] : "";
                segments[i] = segments[i] switch
                {
                    "{id}" when segments.Length > i + 2 && segments[i + 2] is "{userId}" => await GetAsync("shared-" + resource),
                    "{id}" when segments.Length > i + 1 && segments[i + 1] == "restore" => await GetAsync("deleted-" + resource),
                    "{id}" => await GetAsync(resource),
                    "{userId}" => made["viewer"],
                    "{contactId}" => await GetAsync("deal-contact"),
                    "{itemId}" => await GetAsync("line-item"),
                    "{documentId}" => await GetAsync("deal-document"),
                    "{stageId}" => await GetAsync("stage"),
                    "{entity}" => "accounts",
                    "{kind}" => "weekly",
                    "{version}" => "1",
                    _ => segments[i],
                };
            }
            return string.Join('/', segments);
        }

        async Task<string> FillAsync(string text)
        {
            var result = new StringBuilder();
            var last = 0;
            foreach (Match match in Placeholder().Matches(text))
            {
                result.Append(text, last, match.Index - last);
                result.Append(match.Groups[1].Value switch
                {
                    "unique" => Guid.NewGuid().ToString("N")[..10],
                    "period" => Period(Interlocked.Increment(ref dates)),
                    "date" => new DateOnly(2030, 1, 1).AddDays(Interlocked.Increment(ref dates)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    "planYaml" => System.Text.Json.JsonEncodedText.Encode(Reach.Demo.DemoPlan.Yaml).ToString(),
                    var name => await GetAsync(name),
                });
                last = match.Index + match.Length;
            }
            return result.Append(text, last, text.Length - last).ToString();
        }

        // A month of its own: targets and costs may not overlap others of the same kind.
        static string Period(int n)
        {
            var start = new DateOnly(2040, 1, 1).AddMonths(n);
            return FormattableString.Invariant($"\"periodStart\":\"{start:yyyy-MM-dd}\",\"periodEnd\":\"{start.AddMonths(1):yyyy-MM-dd}\"");
        }

        async Task<string> GetAsync(string name)
        {
            // A body's $deal and a path's /deals/{id} are the same deal.
            name = name switch
            {
                "account" or "contact" or "lead" or "deal" or "product" or "sequence" or "drip" or "user" => name + "s",
                _ => name,
            };
            if (made.TryGetValue(name, out var id))
                return id;
            return made[name] = await MakeAsync(name);
        }

        async Task<string> MakeAsync(string name)
        {
            switch (name)
            {
                case "accounts":
                    return await CreateAsync(owner, "accounts", """{"name":"Matrix $unique"}""");
                case "prospect":
                    return await CreateAsync(owner, "accounts", """{"name":"Prospect $unique"}""");
                case "references":
                    var referenceAccount = await GetAsync("accounts");
                    await SendAsync(owner, "PUT", $"accounts/{referenceAccount}/reference", """{"agreedBy":"Matrix $unique","logo":true}""");
                    return referenceAccount;
                case "contacts":
                    return await CreateAsync(owner, "contacts", """{"firstName":"Mara","email":"mara-$unique@test.example","accountId":"$account"}""");
                case "leads":
                    return await CreateAsync(owner, "leads", """{"firstName":"Lio","email":"lio-$unique@test.example"}""");
                case "deals":
                    return await CreateAsync(owner, "deals", """{"name":"Matrix deal","amount":1000,"currency":"EUR","channel":"inside","accountId":"$account"}""");
                case "activities":
                    return await CreateAsync(owner, "activities", """{"type":"note","subject":"Matrix note","accountId":"$account"}""");
                case "products":
                    return await CreateAsync(admin, "products", """{"name":"Product $unique","listPrice":100,"currency":"EUR"}""");
                case "teams":
                    return await CreateAsync(admin, "teams", """{"name":"Team $unique"}""");
                case "users":
                    return (string)(await SendAsync(admin, "POST", "users", """{"email":"user-$unique@test.example","name":"Matrix User"}"""))["user"]!["id"]!;
                case "tokens":
                    return await CreateAsync(owner, "tokens", """{"name":"Matrix token"}""");
                case "lost-reasons":
                    return await CreateAsync(admin, "lost-reasons", """{"name":"Reason $unique"}""");
                case "playbook":
                    return await CreateAsync(admin, "playbook", """{"kind":"difficult_qa","title":"Question $unique"}""");
                case "dealTemplate":
                    return await CreateAsync(admin, "playbook", """{"kind":"proposal","title":"Proposal $unique","body":"For {{account.name}}: {{totals.total}}"}""");
                case "deal-document":
                    return await CreateAsync(owner, $"deals/{await GetAsync("deal")}/documents", """{"templateId":"$dealTemplate"}""");
                case "weekly-logs":
                    return (string)(await SendAsync(owner, "PUT", "weekly-logs/mine", """{"worked":"Calling early"}"""))["id"]!;
                case "pipelines":
                    return await CreateAsync(admin, "pipelines", """{"name":"Pipeline $unique","channel":"field"}""");
                case "stage":
                    return await CreateAsync(admin, $"pipelines/{await GetAsync("pipelines")}/stages", """{"name":"Stage $unique","probability":0.5}""");
                case "plans":
                    return await CreateAsync(admin, "plans", """{"name":"Plan $unique","yaml":"$planYaml"}""");
                case "targets":
                    return await CreateAsync(admin, "targets", """{"metric":"deals_won",$period,"userId":"$owner","value":4}""");
                case "costs":
                    return await CreateAsync(admin, "costs", """{"channel":"inside",$period,"amount":100,"currency":"EUR"}""");
                case "exchange-rates":
                    return await CreateAsync(admin, "exchange-rates", """{"currency":"USD","rate":1.1,"validFrom":"$date"}""");
                case "import-mappings":
                    return await CreateAsync(owner, "import-mappings", """{"name":"Mapping $unique","entity":"contacts","format":"csv","map":{"E-Mail":"email"}}""");
                case "report-schedules":
                    return await CreateAsync(owner, "report-schedules", """{"kind":"weekly","recipients":["board@test.example"]}""");
                case "sequences":
                    return await CreateAsync(owner, "sequences", SequenceBody);
                case "enrolments":
                    var sequence = await GetAsync("sequences");
                    await SendAsync(owner, "POST", $"sequences/{sequence}/enrolments", """{"contactIds":["$contact"]}""");
                    return (string)(await SendAsync(owner, "GET", $"sequences/{sequence}/enrolments", ""))[0]!["id"]!;
                case "drips":
                    return await CreateAsync(owner, "drips", DripBody);
                case "deal-contact":
                    var contact = await GetAsync("contact");
                    await SendAsync(owner, "POST", $"deals/{await GetAsync("deal")}/contacts", "{\"contactId\":\"" + contact + "\",\"role\":\"champion\"}");
                    return contact;
                case "line-item":
                    // Answers with the deal's lines; the new line is the one its Location names.
                    using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/deals/{await GetAsync("deal")}/line-items"))
                    {
                        request.Content = Json.Raw(await FillAsync("""{"productId":"$product","quantity":1}"""));
                        using var response = await owner.SendAsync(request);
                        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                        return response.Headers.Location!.OriginalString.Split('/')[^1];
                    }
                case var shared when shared.StartsWith("shared-", StringComparison.Ordinal):
                    var record = await GetAsync(shared["shared-".Length..]);
                    await SendAsync(owner, "POST", $"{shared["shared-".Length..]}/{record}/shares", """{"userId":"$viewer"}""");
                    return record;
                case var deleted when deleted.StartsWith("deleted-", StringComparison.Ordinal):
                    var resource = deleted["deleted-".Length..];
                    var gone = await GetAsync(resource);
                    await SendAsync(resource is "products" or "exchange-rates" or "targets" or "costs" ? admin : owner, "DELETE", $"{resource}/{gone}", "");
                    return gone;
                default:
                    throw new InvalidOperationException($"The matrix does not know how to make a '{name}': add it to World.MakeAsync.");
            }
        }

        async Task<string> CreateAsync(HttpClient client, string resource, string body) => (string)(await SendAsync(client, "POST", resource, body))["id"]!;

        async Task<JsonNode> SendAsync(HttpClient client, string method, string resource, string body)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "/api/v1/" + resource);
            if (body.Length > 0)
                request.Content = Json.Raw(await FillAsync(body));
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"Making the matrix's records: {method} {resource} answered {(int)response.StatusCode}: {text}");
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
        }

        [GeneratedRegex(@"\$([a-zA-Z]+)")]
        private static partial Regex Placeholder();

        [GeneratedRegex(@"\{id(:[a-z]+)*\??\}")]
        private static partial Regex IdPattern();
    }
}

/// <summary>A server whose API rate limit lets the matrix's thousands of calls from 127.0.0.1 through.</summary>
public sealed class MatrixSqliteServer : SqliteServer
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Reach:RateLimit:ApiPerMinute"] = "1000000";
}

public sealed class MatrixPostgresServer : PostgresServer
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Reach:RateLimit:ApiPerMinute"] = "1000000";
}

public sealed class AuthorizationMatrixOnSqliteTests(MatrixSqliteServer server) : AuthorizationMatrixTests(server), IClassFixture<MatrixSqliteServer>;

public sealed class AuthorizationMatrixOnPostgresTests(MatrixPostgresServer server) : AuthorizationMatrixTests(server), IClassFixture<MatrixPostgresServer>;
