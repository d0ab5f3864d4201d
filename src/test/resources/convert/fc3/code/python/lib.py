EMOJIS = {"happy": "😄", "sad": "😢"}
