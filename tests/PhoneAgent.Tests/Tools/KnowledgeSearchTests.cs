using PhoneAgent.AgentProfiles;
using PhoneAgent.Knowledge;

namespace PhoneAgent.Tests.Tools;

/// <summary>Markdown passages and BM25 ranking for <c>search_knowledge_base</c>.</summary>
public sealed class KnowledgeSearchTests
{
    [Fact]
    public void Articles_split_at_headings_with_the_article_title_and_plain_text()
    {
        var passages = MarkdownPassages.Split("# Returns\n\nIntro **text**.\n\n## Damaged items\n\n- We [replace](https://x) them.\n- Free.\n\n```\n# not a heading\n```\n", "returns.md");

        Assert.Equal(["Returns", "Returns › Damaged items"], passages.Select(p => p.Title)); // a "#" in code is no heading
        Assert.Equal("Intro text.", passages[0].Text);
        Assert.StartsWith("We replace them. Free.\n", passages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_sections_are_cut_at_paragraphs()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("word", 100)); // 499 characters
        var passages = MarkdownPassages.Split($"# A\n\n## B\n\n{paragraph}\n\n{paragraph}\n\n{paragraph}\n", "a.md");

        Assert.Equal(3, passages.Count);
        Assert.All(passages, p => Assert.Equal("A › B", p.Title));
    }

    [Theory]
    [InlineData("how long does express delivery take", "Shipping › Express shipping")]
    [InlineData("when will my refund reach my card", "Refunds › How refunds are paid")]
    [InlineData("can I get money back for one item", "Refunds › Partial refunds")]
    public async Task The_passage_about_the_question_ranks_first(string query, string title)
    {
        using var bed = new SupportToolBed();

        var result = await bed.InvokeAsync(bed.Search, $$"""{"query":"{{query}}"}""");

        var results = result.Output().GetProperty("results");
        Assert.Equal(title, results[0].GetProperty("title").GetString());
        Assert.InRange(results.GetArrayLength(), 1, 3);
    }

    [Fact]
    public async Task No_match_returns_no_passages_and_says_so()
    {
        using var bed = new SupportToolBed();

        var result = await bed.InvokeAsync(bed.Search, """{"query":"quantum chromodynamics"}""");

        Assert.Equal(0, result.Output().GetProperty("results").GetArrayLength());
        Assert.Contains("do not have that information", result.Text("note"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("refunds", "refunded", "refunding")]
    [InlineData("arrives", "arrived", "arriving")]
    [InlineData("ships", "shipped", "shipping")]
    public void Word_forms_share_a_stem(string a, string b, string c)
    {
        Assert.Equal(KnowledgeIndex.Stem(a), KnowledgeIndex.Stem(b));
        Assert.Equal(KnowledgeIndex.Stem(a), KnowledgeIndex.Stem(c));
    }

    [Fact]
    public void Headings_outrank_a_passing_mention()
    {
        var index = new KnowledgeIndex([
            new KnowledgePassage("Help", "Gift cards", "Gift cards never expire and can be used online.", "a.md"),
            new KnowledgePassage("Help", "Payments", "We take cards, and gift cards too, and bank transfers for large orders.", "a.md"),
        ]);

        Assert.Equal("Gift cards", index.Search("gift card")[0].Passage.Heading);
    }

    [Fact]
    public void The_shipped_articles_answer_the_questions_callers_ask()
    {
        var catalog = AgentProfileLoader.Load(new ProfilesDirectory("profiles", Path.Combine(AppContext.BaseDirectory, "profiles")), "customer-support");
        var knowledge = new KnowledgeBases(catalog);

        Assert.Equal("Returns policy › Damaged or faulty items", knowledge.For("customer-support").Search("my item arrived damaged")[0].Passage.Title);
        Assert.Equal("Opening hours › Phone support hours", knowledge.For("after-hours").Search("what time do you open on saturday")[0].Passage.Title);
        Assert.Equal("Shipping times › Express shipping", knowledge.For("after-hours").Search("express shipping cost")[0].Passage.Title);
    }
}
