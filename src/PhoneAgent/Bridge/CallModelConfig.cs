using PhoneAgent.AgentProfiles;
using PhoneAgent.Model;
using PhoneAgent.Tools;

namespace PhoneAgent.Bridge;

/// <summary>The model session of a call: the profile's config with the declarations of the tools it enables (the same at pre-warm and at stream start).</summary>
internal static class CallModelConfig
{
    public static ModelSessionConfig For(AgentProfile profile, ToolRegistry tools, string callSid)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(tools);
        return ModelSessionConfigFactory.FromProfile(profile, tools.DeclarationsFor(profile.Tools.Enabled), callSid);
    }
}
