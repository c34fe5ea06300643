"""Time story grouping by text (``storyline.resolve.textparts.text_story_groups``) on generated documents:
stories of 5 to 30 documents sharing story words, over a Zipf background vocabulary of 50,000 words.

    python bench/story_scale.py 2000
    python bench/story_scale.py 10000
"""
import random
import sys
import time

from storyline.resolve.textparts import text_story_groups
random.seed(7)
N=int(sys.argv[1])
vocab=[f"w{i}" for i in range(50000)]
weights=[1/(i+1) for i in range(50000)]
docs=[]; terms={}
sid=0; i=0
cum=None
while i<N:
    size=random.randint(5,30)
    story_words=[f"s{sid}_{k}" for k in range(20)]
    for _ in range(size):
        if i>=N: break
        d=f"d{i:07d}"; i+=1
        bag={}
        for w in random.sample(story_words, 12): bag[w]=random.randint(1,4)
        for w in random.choices(vocab, weights=weights, k=80): bag[w]=bag.get(w,0)+1
        terms[d]=tuple(sorted(bag.items(), key=lambda kv:(-kv[1],kv[0]))[:200])
        docs.append(d)
    sid+=1
t=time.time()
g=text_story_groups(docs, terms, [], {d: None for d in docs}, {d: None for d in docs}, 21)
print(N, 'docs', len(g), 'groups', round(time.time()-t,1), 's')
