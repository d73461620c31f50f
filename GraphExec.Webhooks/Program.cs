using GraphExec.Webhooks.Extensions;
using GraphExec.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWebhookIngress();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapWebhookIngress();
app.Run();
