using System.CommandLine;
using Secr.Cli.Infrastructure;

namespace Secr.Cli.Commands;

/// <summary><c>secr user offboard EMAIL (--transfer-to EMAIL | --disable)</c>.</summary>
internal static class UserCommands
{
    public static Command Build(CliContext context)
    {
        var email = new Argument<string>("email");
        var transferTo = Options.Optional("--transfer-to", "Give every identity the user owns to this user");
        var disable = new Option<bool>("--disable") { Description = "Disable every identity the user owns" };
        var offboard = new Command("offboard", "Offboard a user: their identities are transferred or disabled, their tokens stop") { email, transferTo, disable };
        offboard.SetAction(async (parse, ct) =>
        {
            if ((parse.GetValue(transferTo) is null) == !parse.GetValue(disable))
            {
                throw new CliException("choose exactly one of --transfer-to EMAIL or --disable", ExitCodes.Usage);
            }

            var result = await ApiClient.Create(context).SendAsync(HttpMethod.Post, $"api/v1/users/{Uri.EscapeDataString(parse.GetValue(email)!)}/offboard",
                new { transfer_to = parse.GetValue(transferTo), disable = parse.GetValue(disable) }, ct);
            foreach (var identity in result!["identities"]!.AsArray())
            {
                await context.Output.WriteLineAsync($"✓ {identity!["type"]} {identity["name"]}: {result["action"]}");
            }

            await context.Output.WriteLineAsync($"✓ {parse.GetValue(email)} offboarded");
            return ExitCodes.Success;
        });
        return new Command("user", "Humans who own identities") { offboard };
    }
}
